import XCTest
@testable import WorkerAgent

/// WakeSignal shares one timer task between waits: each wait must still end by its own
/// deadline, and a signal must end it sooner.
final class WakeSignalTests: XCTestCase {
    func testWaitEndsAtItsDeadline() async {
        let signal = WakeSignal()
        let start = ContinuousClock.now
        await signal.wait(until: start.advanced(by: .milliseconds(100)))
        let elapsed = start.duration(to: .now)
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(100))
        XCTAssertLessThan(elapsed, .seconds(2))
    }

    func testSignalEndsTheWaitBeforeTheDeadline() async {
        let signal = WakeSignal()
        let start = ContinuousClock.now
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            signal.signal()
        }
        await signal.wait(until: start.advanced(by: .seconds(10)))
        XCTAssertLessThan(start.duration(to: .now), .seconds(5))
    }

    func testSignalBeforeTheWaitIsRemembered() async {
        let signal = WakeSignal()
        signal.signal()
        let start = ContinuousClock.now
        await signal.wait(until: start.advanced(by: .seconds(10)))
        XCTAssertLessThan(start.duration(to: .now), .seconds(1))
    }

    /// A wait whose deadline is later than the armed timer's is ended by a re-armed timer, and
    /// one whose deadline is earlier arms its own.
    func testLaterAndEarlierDeadlinesAfterAnEarlierWait() async {
        let signal = WakeSignal()
        // Arms a timer for +300 ms, then is ended early by a signal: the timer stays armed.
        Task {
            try? await Task.sleep(for: .milliseconds(20))
            signal.signal()
        }
        await signal.wait(until: ContinuousClock.now.advanced(by: .milliseconds(300)))

        // Earlier than the armed timer: must not wait for it.
        var start = ContinuousClock.now
        await signal.wait(until: start.advanced(by: .milliseconds(50)))
        XCTAssertLessThan(start.duration(to: .now), .milliseconds(250))

        // Later than any armed timer: ends at its own deadline, not before.
        start = ContinuousClock.now
        // A backstop, so that a timer that is never re-armed fails the test instead of hanging it.
        let backstop = Task {
            try? await Task.sleep(for: .seconds(5))
            if !Task.isCancelled { signal.signal() }
        }
        await signal.wait(until: start.advanced(by: .milliseconds(600)))
        backstop.cancel()
        let elapsed = start.duration(to: .now)
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(600))
        XCTAssertLessThan(elapsed, .seconds(3))
    }

    func testCancellationEndsTheWait() async {
        let signal = WakeSignal()
        let start = ContinuousClock.now
        let waiter = Task { await signal.wait(until: start.advanced(by: .seconds(10))) }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await waiter.value
        XCTAssertLessThan(start.duration(to: .now), .seconds(5))
    }
}
