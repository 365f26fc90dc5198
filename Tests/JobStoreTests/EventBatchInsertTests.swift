@testable import JobStore
import JobAPI
import ProtoRuntime
import XCTest

/// The events of a whole batch go in several rows per statement (`EventInsertSQL`): every
/// row must land, duplicates must drop as they do one at a time, and a bad row must still
/// fail only its own call.
final class EventBatchInsertTests: XCTestCase {
    func testChunkSizesAddUpToAnyCount() {
        for count in [1, 2, 7, 8, 9, 31, 32, 33, 41, 100] {
            var remaining = count
            var statements = 0
            while remaining > 0 {
                let chunk = EventInsertSQL.chunk(for: remaining)
                XCTAssertGreaterThan(chunk, 0)
                XCTAssertLessThanOrEqual(chunk, remaining)
                remaining -= chunk
                statements += 1
            }
            // Largest chunk first: 32s, then 8s, then single rows.
            XCTAssertEqual(statements, count / 32 + count % 32 / 8 + count % 8, "count \(count)")
        }
        XCTAssertEqual(EventInsertSQL.statement(rows: 8).components(separatedBy: "?").count - 1, 8 * EventInsertSQL.columns)
    }

    func testEveryEventOfManyCallsInOneBatchIsStoredInOrder() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let jobs = (1...5).map { "j-\($0)" }
        try await store.commit(jobs.enumerated().map { .insertJob(makeJob(id: $1, submitOrder: UInt64($0 + 1))) })
        // 77 rows in one batch: two chunks of 32, one of 8, five single rows; calls of 1 to 40
        // events, several calls per job, state changes and log lines mixed.
        var expected: [String: [Hodei_V1_JobEvent]] = [:]
        var calls: [[StoreMutation]] = []
        var next: [String: UInt64] = [:]
        for (index, size) in [1, 40, 3, 8, 25].enumerated() {
            let jobID = jobs[index % 2 == 0 ? 0 : index]
            var events: [Hodei_V1_JobEvent] = []
            for _ in 0..<size {
                let sequence = next[jobID, default: 0] + 1
                next[jobID] = sequence
                events.append(sequence % 3 == 0
                    ? logEvent(sequence: sequence, attempt: 1, logSequence: sequence, line: "\(jobID) line \(sequence)")
                    : stateEvent(sequence: sequence, from: .queued, to: .assigned))
            }
            expected[jobID, default: []].append(contentsOf: events)
            calls.append([.appendEvents(jobID: jobID, events: events)])
        }
        let transactionsBefore = store.committedTransactions
        for ticket in store.writeTogether(calls) { try await ticket.durable() }
        XCTAssertEqual(store.committedTransactions - transactionsBefore, 1, "the calls shared one transaction")

        for jobID in jobs {
            let stored = try await store.events(jobID: jobID, fromSequence: 0, includeLogs: true, limit: 1_000)
            XCTAssertEqual(stored, expected[jobID] ?? [], jobID)
        }
        XCTAssertEqual(expected.values.map(\.count).reduce(0, +), 77)
    }

    func testADuplicateInOneBatchKeepsTheFirstAsOneAtATimeWould() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        let first = logEvent(sequence: 1, attempt: 1, logSequence: 1, line: "first")
        let tickets = store.writeTogether([
            [.appendEvents(jobID: "j-1", events: [first, stateEvent(sequence: 2, from: .queued, to: .assigned)])],
            // Same event sequence with other content; a resent log line under a new sequence.
            [.appendEvents(jobID: "j-1", events: [
                stateEvent(sequence: 1, from: .queued, to: .cancelled),
                logEvent(sequence: 3, attempt: 1, logSequence: 1, line: "first, resent"),
                logEvent(sequence: 4, attempt: 1, logSequence: 2, line: "second"),
            ])],
        ])
        for ticket in tickets { try await ticket.durable() }

        let events = try await store.events(jobID: "j-1", fromSequence: 0, includeLogs: true, limit: 100)
        XCTAssertEqual(events.map(\.sequence), [1, 2, 4])
        XCTAssertEqual(events.first, first)
        let logs = try await store.logs(jobID: "j-1", attempt: 1, fromSequence: 0, stream: nil, limit: 100)
        XCTAssertEqual(logs.map { String(decoding: $0.line, as: UTF8.self) }, ["first", "second"])
    }

    func testEventsOfAnUnknownJobFailOnlyTheirCall() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        let tickets = store.writeTogether([
            [.appendEvents(jobID: "j-1", events: [stateEvent(sequence: 1, from: .queued, to: .assigned)])],
            [.appendEvents(jobID: "j-missing", events: [stateEvent(sequence: 1, from: .queued, to: .assigned)])],
            // A job inserted in the same batch takes its events.
            [.insertJob(makeJob(id: "j-2", submitOrder: 2)), .appendEvents(jobID: "j-2", events: [stateEvent(sequence: 1, from: .queued, to: .running)])],
        ])
        try await tickets[0].durable()
        let error = await assertStoreError(.constraint) { try await tickets[1].durable() }
        XCTAssertTrue(error?.message.contains("j-missing") ?? false, error?.message ?? "")
        try await tickets[2].durable()

        let kept = try await store.events(jobID: "j-1", fromSequence: 0, includeLogs: true, limit: 10)
        XCTAssertEqual(kept.map(\.sequence), [1])
        let inserted = try await store.events(jobID: "j-2", fromSequence: 0, includeLogs: true, limit: 10)
        XCTAssertEqual(inserted.map(\.sequence), [1])
        let missing = try await store.events(jobID: "j-missing", fromSequence: 0, includeLogs: true, limit: 10)
        XCTAssertEqual(missing, [])
    }
}
