import Foundation
import Synchronization
import XCTest
@testable import WorkerAgent

final class OutputThreadsTests: XCTestCase {
    /// Each body gets a thread of its own even when parked threads exist: two bodies that wait
    /// for each other both finish (on one shared thread they would never meet).
    func testBlockingBodiesRunConcurrentlyAndThreadsAreReused() {
        let threads = OutputThreads(idleTimeout: 5)
        let threadNames = Mutex<Set<ObjectIdentifier>>([])
        for round in 0..<3 {
            let first = DispatchSemaphore(value: 0)
            let second = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            threads.run {
                threadNames.withLock { _ = $0.insert(ObjectIdentifier(Thread.current)) }
                first.signal()
                XCTAssertEqual(second.wait(timeout: .now() + 5), .success, "round \(round)")
                done.signal()
            }
            threads.run {
                threadNames.withLock { _ = $0.insert(ObjectIdentifier(Thread.current)) }
                XCTAssertEqual(first.wait(timeout: .now() + 5), .success, "round \(round)")
                second.signal()
                done.signal()
            }
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
            // Let both threads park before the next round.
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Three rounds of two bodies: the same two threads, not six.
        XCTAssertLessThanOrEqual(threadNames.withLock { $0.count }, 3)
    }

    /// The kernel knows the threads by name (top -H, perf), not by the event loop's name
    /// they would otherwise inherit.
    func testThreadsCarryTheirNameForTheKernel() {
        let threads = OutputThreads(idleTimeout: 1)
        let name = Mutex("")
        let done = DispatchSemaphore(value: 0)
        threads.run {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            name.withLock { $0 = comm.trimmingCharacters(in: .whitespacesAndNewlines) }
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(name.withLock { $0 }, "hodei-job")
    }
}
