import XCTest
@testable import LoadTest

final class MeasurementTests: XCTestCase {
    func testStatLineFieldsAreCountedAfterTheCommandName() {
        // The command name holds a space and a ')': utime 11, stime 4 are fields 14 and 15.
        let line = "4242 (hodei (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 11 4 0 0 20 0 3 0 100 1000 200"
        XCTAssertEqual(ProcessStats.cpuTicks(statLine: line), 15)
        XCTAssertNil(ProcessStats.cpuTicks(statLine: "4242 (short) S 1"))
    }

    func testStatusMemoryLines() {
        let status = "Name:\thodei-server\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t4\n"
        let memory = ProcessStats.memoryKiB(status: status)
        XCTAssertEqual(memory["VmHWM"], 204_800)
        XCTAssertEqual(memory["VmRSS"], 102_400)
        XCTAssertNil(memory["Threads"])
    }

    func testOwnProcessIsReadable() throws {
        let sample = try XCTUnwrap(ProcessStats.sample(pid: getpid()))
        XCTAssertGreaterThan(sample.peakRSSBytes, 0)
        XCTAssertGreaterThanOrEqual(sample.peakRSSBytes, sample.rssBytes)
    }

    func testTrackerMatchesEventsInAnyOrder() {
        let tracker = JobTracker()
        // The assignment and the result may arrive before SubmitJob's answer.
        tracker.assigned("a", at: 2_000_000)
        tracker.completed("a", at: 5_000_000)
        tracker.submitted("a", start: 1_000_000, answered: 3_000_000)
        tracker.submitted("b", start: 1_000_000, answered: 2_000_000)
        tracker.assigned("b", at: 3_000_000)
        tracker.completed("b", at: 11_000_000)
        tracker.completed("b", at: 12_000_000)
        let snapshot = tracker.snapshot
        XCTAssertEqual(snapshot.completed, 2)
        XCTAssertEqual(snapshot.duplicateResults, 1)
        XCTAssertEqual(snapshot.assign.count, 2)
        XCTAssertEqual(snapshot.result.count, 2)
        XCTAssertEqual(snapshot.result.max, 10, accuracy: 0.02)
        XCTAssertEqual(snapshot.assign.p50, 1, accuracy: 0.01)
        XCTAssertEqual(snapshot.throughput, 2 / 0.010, accuracy: 1)
    }

    func testLatencyPercentiles() {
        var recorder = LatencyRecorder()
        for micros in 1...1000 { recorder.record(from: 0, to: UInt64(micros) * 1_000) }
        let summary = recorder.summary
        XCTAssertEqual(summary.count, 1000)
        XCTAssertEqual(summary.p50, 0.5, accuracy: 0.001)
        XCTAssertEqual(summary.p99, 0.99, accuracy: 0.001)
        XCTAssertEqual(summary.max, 1.0, accuracy: 0.001)
    }

    func testLimiterBoundsHolders() async {
        let limiter = AsyncLimiter(limit: 2)
        let held = LockedBox(0)
        let peak = LockedBox(0)
        await withDiscardingTaskGroup { group in
            for _ in 0..<20 {
                group.addTask {
                    await limiter.acquire()
                    let now = held.withLock { $0 += 1; return $0 }
                    peak.withLock { $0 = max($0, now) }
                    try? await Task.sleep(for: .milliseconds(2))
                    held.withLock { $0 -= 1 }
                    limiter.release()
                }
            }
        }
        XCTAssertEqual(peak.value, 2)
    }
}
