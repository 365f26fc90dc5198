import NIOCore
import NIOPosix
import Synchronization
import XCTest
@testable import RPCTransportHTTP2

/// A connection's task executor: jobs woken while the connection hands received bytes to
/// nghttp2 run as soon as that returns, and jobs they wake in turn still run (on a loop task).
final class ConnectionTaskExecutorTests: XCTestCase {
    func testJobsWokenDuringAReceiveRunWhenItReturnsAndTheirOwnJobsStillRun() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        addTeardownBlock { try? await group.shutdownGracefully() }
        let loop = group.next()
        let executor = ConnectionTaskExecutor(loop: loop)
        let steps = StepLog()
        let finished = expectation(description: "the task's second step ran")

        try await loop.submit {
            executor.receive {
                // Created on the loop: its first job waits in the executor's local queue.
                Task(executorPreference: executor) {
                    steps.append("first step")
                    // Enqueued while the connection runs its local jobs: needs a loop task.
                    await Task.yield()
                    steps.append("second step")
                    finished.fulfill()
                }
                steps.append("receive body done")
            }
            steps.append("receive returned")
        }.get()

        await fulfillment(of: [finished], timeout: 10)
        XCTAssertEqual(steps.entries, ["receive body done", "first step", "receive returned", "second step"])
    }
}

/// What ran, in order, from any thread.
private final class StepLog: Sendable {
    private let log = Mutex<[String]>([])
    func append(_ step: String) { log.withLock { $0.append(step) } }
    var entries: [String] { log.withLock { $0 } }
}
