import JobAPI
import JobStore
import XCTest
@testable import Server

/// Acks follow durability: none before the write of a message is committed, coalesced while
/// one commit is awaited, none after a failed write, and again for a resent message.
final class AckTrackerTests: XCTestCase {
    func testAcksWaitForDurabilityCoalesceAndRepeatForResentMessages() async throws {
        let session = WorkerSession(workerID: "w-1", agentSessionID: "s-1", serial: 1)
        let acks = AckTracker(session: session)
        var sent = session.outbound.makeAsyncIterator()

        let first = StoreWriteTicket()
        acks.processed(sequence: 1, ticket: first)
        acks.processed(sequence: 2, ticket: nil)
        let third = StoreWriteTicket()
        acks.processed(sequence: 3, ticket: third)
        XCTAssertEqual(acks.acknowledged, 0, "nothing is durable yet")

        first.resolve(.success(()))
        let ack1 = try await nextAck(&sent)
        XCTAssertEqual(ack1, 1)
        XCTAssertEqual(acks.acknowledged, 1, "2 and 3 wait for the third message's write")
        third.resolve(.success(()))
        let ack2 = try await nextAck(&sent)
        XCTAssertEqual(ack2, 3)

        // A failed write is not acknowledged, nor is a later message that wrote nothing.
        let failing = StoreWriteTicket()
        acks.processed(sequence: 4, ticket: failing)
        failing.resolve(.failure(StoreError(.io, "disk full")))
        acks.processed(sequence: 5, ticket: nil)
        XCTAssertEqual(acks.acknowledged, 3)
        // The next durable write covers them.
        let sixth = StoreWriteTicket()
        acks.processed(sequence: 6, ticket: sixth)
        sixth.resolve(.success(()))
        let ack3 = try await nextAck(&sent)
        XCTAssertEqual(ack3, 6)

        // A resent message is acknowledged again once its barrier write is durable.
        let barrier = StoreWriteTicket()
        acks.processed(sequence: 6, ticket: barrier)
        XCTAssertEqual(acks.acknowledged, 6)
        barrier.resolve(.success(()))
        let ack4 = try await nextAck(&sent)
        XCTAssertEqual(ack4, 6)

        acks.finish()
        let late = StoreWriteTicket()
        acks.processed(sequence: 7, ticket: late)
        late.resolve(.success(()))
        session.close()
        let afterFinish = try await sent.next()
        XCTAssertNil(afterFinish, "no Ack after finish")
    }

    func testResumedSessionIsNotAcknowledgedBelowWhatTheAgentHas() async throws {
        let session = WorkerSession(workerID: "w-1", agentSessionID: "s-1", serial: 1)
        let acks = AckTracker(session: session)
        var sent = session.outbound.makeAsyncIterator()
        acks.resume(after: 10)
        acks.processed(sequence: 11, ticket: StoreWriteTicket(resolved: .success(())))
        let ack5 = try await nextAck(&sent)
        XCTAssertEqual(ack5, 11)
    }

    private func nextAck(_ sent: inout AsyncThrowingStream<Hodei_V1_ServerMessage, any Error>.Iterator) async throws -> UInt64? {
        guard let message = try await sent.next() else { return nil }
        guard case .ack(let ack) = message.kind else {
            XCTFail("expected an Ack, got \(message)")
            return nil
        }
        return ack.sequence
    }
}
