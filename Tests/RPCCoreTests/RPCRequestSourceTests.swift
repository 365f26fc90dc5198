import RPCCore
import XCTest

/// The request queue between a transport and a handler: queued messages come back without a
/// wait, a waiting handler gets the next one handed over, and a wait ends when its task is
/// cancelled, also when that task is a child of the handler's.
final class RPCRequestSourceTests: XCTestCase {
    func testQueuedMessagesComeBackInOrderThenTheEnd() async throws {
        let source = RPCRequestSource()
        XCTAssertTrue(source.yield(message("a")), "nobody waits: the message is queued")
        XCTAssertTrue(source.yield(message("b")))
        source.finish()
        let first = try await source.next()
        let second = try await source.next()
        let end = try await source.next()
        XCTAssertEqual(first?.bytes, Array("a".utf8))
        XCTAssertEqual(second?.bytes, Array("b".utf8))
        XCTAssertNil(end)
    }

    func testAWaitingConsumerIsHandedTheMessage() async throws {
        let source = RPCRequestSource()
        let received = Task { try await source.next()?.bytes }
        try await waitUntilWaiting(source)
        XCTAssertFalse(source.yield(message("x")), "the waiting consumer took it straight away")
        let bytes = try await received.value
        XCTAssertEqual(bytes, Array("x".utf8))
    }

    func testCancellingTheWaitingTaskEndsItsWait() async throws {
        let source = RPCRequestSource()
        let handler = Task { () -> String in
            do {
                _ = try await source.next()
                return "returned a message"
            } catch {
                return error is CancellationError ? "cancelled" : "failed with \(error)"
            }
        }
        try await waitUntilWaiting(source)
        handler.cancel()
        let outcome = await valueCancelledAfter5s(handler)
        XCTAssertEqual(outcome, "cancelled")
        // Every later wait of the call fails the same way.
        do {
            _ = try await source.next()
            XCTFail("a wait after the cancellation returned")
        } catch is CancellationError {}
    }

    /// A child that reads the requests while its sibling writes: cancelling the group's
    /// children (not the call's task) must end the reader's wait, or the handler never returns.
    func testAWaitFromAChildTaskEndsWhenTheChildAloneIsCancelled() async throws {
        let source = RPCRequestSource()
        let handler = Task { () -> String in
            await withTaskGroup(of: String.self) { group in
                group.addTask {
                    do {
                        _ = try await source.next()
                        return "reader returned a message"
                    } catch {
                        return error is CancellationError ? "reader cancelled" : "reader failed with \(error)"
                    }
                }
                // Let the reader start waiting, then cancel the children only.
                for _ in 0..<500 where !source.hasWaiter { try? await Task.sleep(for: .milliseconds(2)) }
                group.cancelAll()
                return await group.next() ?? "no child"
            }
        }
        let outcome = await valueCancelledAfter5s(handler)
        // Had the reader's wait not ended by itself, only the watchdog's cancelling the call
        // would have ended it.
        XCTAssertEqual(outcome, "reader cancelled")
        XCTAssertFalse(handler.isCancelled, "the wait ended only when the call's own task was cancelled (5 s)")
    }

    // MARK: Helpers

    private func message(_ text: String) -> RPCReceivedMessage {
        RPCReceivedMessage(bytes: Array(text.utf8), compressed: false)
    }

    /// Waits (at most 5 s) until a consumer is suspended in `next()`.
    private func waitUntilWaiting(_ source: RPCRequestSource) async throws {
        for _ in 0..<2_500 where !source.hasWaiter { try await Task.sleep(for: .milliseconds(2)) }
        XCTAssertTrue(source.hasWaiter, "no consumer waited within 5 s")
    }

    /// The task's value; a task still running after 5 s is cancelled first (unlike
    /// TestSupport's withTimeout, which gives up on its body: the child-task test checks that
    /// this cancellation was not needed).
    private func valueCancelledAfter5s(_ task: Task<String, Never>) async -> String {
        let watchdog = Task {
            try await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        defer { watchdog.cancel() }
        return await task.value
    }
}
