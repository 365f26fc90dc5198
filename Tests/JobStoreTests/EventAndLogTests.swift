import JobAPI
import JobStore
import ProtoRuntime
import XCTest

/// Job events and the log lines among them.
final class EventAndLogTests: XCTestCase {
    private func storeWithJob() async throws -> SQLiteJobStore {
        let (store, _) = try openTemporaryStore(for: self)
        try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: 1)), .insertJob(makeJob(id: "j-2", submitOrder: 2))])
        return store
    }

    func testLastSequencesAgreeWithThePagedDefaults() async throws {
        let store = try await storeWithJob()
        try await store.commit([.appendEvents(jobID: "j-1", events: [
            stateEvent(sequence: 1, from: .queued, to: .assigned),
            logEvent(sequence: 2, attempt: 1, logSequence: 1, line: "a"),
            logEvent(sequence: 3, attempt: 1, logSequence: 2, line: "b"),
            logEvent(sequence: 7, attempt: 2, logSequence: 1, line: "c"),
            stateEvent(sequence: 9, from: .running, to: .succeeded, attempt: 2),
        ])])
        let lastEvent = try await store.lastEventSequence(jobID: "j-1")
        XCTAssertEqual(lastEvent, 9)
        let firstAttempt = try await store.lastLogSequence(jobID: "j-1", attempt: 1)
        XCTAssertEqual(firstAttempt, 2)
        let secondAttempt = try await store.lastLogSequence(jobID: "j-1", attempt: 2)
        XCTAssertEqual(secondAttempt, 1)
        let none = try await store.lastEventSequence(jobID: "j-2")
        XCTAssertEqual(none, 0)
        // The protocol's generic versions (for other stores) give the same answers.
        let generic: any JobStore = PagedOnly(base: store)
        let genericLast = try await generic.lastEventSequence(jobID: "j-1")
        XCTAssertEqual(genericLast, 9)
        let genericLog = try await generic.lastLogSequence(jobID: "j-1", attempt: 1)
        XCTAssertEqual(genericLog, 2)
    }

    func testEventsReadBackInSequenceWithOrWithoutLogs() async throws {
        let store = try await storeWithJob()
        let events = [
            stateEvent(sequence: 1, from: .queued, to: .assigned),
            stateEvent(sequence: 2, from: .assigned, to: .running),
            logEvent(sequence: 3, attempt: 1, logSequence: 1, line: "hello"),
            logEvent(sequence: 4, attempt: 1, logSequence: 2, stream: .stderr, line: "oops"),
            stateEvent(sequence: 5, from: .running, to: .succeeded),
        ]
        // Written in two calls, the second out of order: reads sort by sequence.
        try await store.commit([.appendEvents(jobID: "j-1", events: Array(events[3...]))])
        try await store.commit([.appendEvents(jobID: "j-1", events: Array(events[..<3]))])
        try await store.commit([.appendEvents(jobID: "j-2", events: [stateEvent(sequence: 1, from: .queued, to: .cancelled)])])

        let all = try await store.events(jobID: "j-1", fromSequence: 0, includeLogs: true, limit: 100)
        XCTAssertEqual(all, events)
        let withoutLogs = try await store.events(jobID: "j-1", fromSequence: 0, includeLogs: false, limit: 100)
        XCTAssertEqual(withoutLogs.map(\.sequence), [1, 2, 5])
        let tail = try await store.events(jobID: "j-1", fromSequence: 3, includeLogs: true, limit: 2)
        XCTAssertEqual(tail.map(\.sequence), [3, 4])
        let none = try await store.events(jobID: "j-1", fromSequence: 6, includeLogs: true, limit: 100)
        XCTAssertEqual(none, [])
        let huge = try await store.events(jobID: "j-1", fromSequence: .max, includeLogs: true, limit: 100)
        XCTAssertEqual(huge, [])
        let zeroLimit = try await store.events(jobID: "j-1", fromSequence: 0, includeLogs: true, limit: 0)
        XCTAssertEqual(zeroLimit, [])
        let other = try await store.events(jobID: "j-2", fromSequence: 0, includeLogs: true, limit: 100)
        XCTAssertEqual(other.count, 1)
    }

    func testResentEventsAndLogLinesAreIgnored() async throws {
        let store = try await storeWithJob()
        let original = logEvent(sequence: 1, attempt: 1, logSequence: 1, line: "first")
        try await store.commit([.appendEvents(jobID: "j-1", events: [original, logEvent(sequence: 2, attempt: 1, logSequence: 2, line: "second")])])
        // A resent line arrives with a new event sequence but the same (attempt, log sequence);
        // a repeated event sequence with other content is dropped too. Both calls succeed.
        try await store.commit([.appendEvents(jobID: "j-1", events: [
            logEvent(sequence: 3, attempt: 1, logSequence: 2, line: "second, resent"),
            stateEvent(sequence: 1, from: .queued, to: .assigned),
            logEvent(sequence: 4, attempt: 1, logSequence: 3, line: "third"),
        ])])

        let events = try await store.events(jobID: "j-1", fromSequence: 0, includeLogs: true, limit: 100)
        XCTAssertEqual(events.map(\.sequence), [1, 2, 4])
        XCTAssertEqual(events.first, original)
        let logs = try await store.logs(jobID: "j-1", attempt: 1, fromSequence: 0, stream: nil, limit: 100)
        XCTAssertEqual(logs.map { String(decoding: $0.line, as: UTF8.self) }, ["first", "second", "third"])
    }

    func testLogsFilterByAttemptSequenceAndStream() async throws {
        let store = try await storeWithJob()
        var events: [Hodei_V1_JobEvent] = []
        // Attempt 1: log sequences 1...6, even ones on stderr; attempt 2: its own 1...3.
        for logSequence in 1...6 {
            events.append(logEvent(
                sequence: UInt64(logSequence), attempt: 1, logSequence: UInt64(logSequence),
                stream: logSequence % 2 == 0 ? .stderr : .stdout, line: "a1-\(logSequence)"
            ))
        }
        for logSequence in 1...3 {
            events.append(logEvent(sequence: UInt64(10 + logSequence), attempt: 2, logSequence: UInt64(logSequence), line: "a2-\(logSequence)"))
        }
        // Written in reverse: reads order by log sequence.
        try await store.commit([.appendEvents(jobID: "j-1", events: events.reversed())])

        func lines(_ entries: [Hodei_V1_LogEntry]) -> [String] { entries.map { String(decoding: $0.line, as: UTF8.self) } }
        let attempt1 = try await store.logs(jobID: "j-1", attempt: 1, fromSequence: 0, stream: nil, limit: 100)
        XCTAssertEqual(lines(attempt1), (1...6).map { "a1-\($0)" })
        XCTAssertTrue(attempt1.allSatisfy { $0.attempt == 1 })
        let fromThree = try await store.logs(jobID: "j-1", attempt: 1, fromSequence: 3, stream: nil, limit: 2)
        XCTAssertEqual(lines(fromThree), ["a1-3", "a1-4"])
        let stderr = try await store.logs(jobID: "j-1", attempt: 1, fromSequence: 0, stream: .stderr, limit: 100)
        XCTAssertEqual(lines(stderr), ["a1-2", "a1-4", "a1-6"])
        let unspecified = try await store.logs(jobID: "j-1", attempt: 1, fromSequence: 0, stream: .unspecified, limit: 100)
        XCTAssertEqual(unspecified.count, 6, "LOG_STREAM_UNSPECIFIED means every stream")
        let attempt2 = try await store.logs(jobID: "j-1", attempt: 2, fromSequence: 2, stream: nil, limit: 100)
        XCTAssertEqual(lines(attempt2), ["a2-2", "a2-3"])
        let otherJob = try await store.logs(jobID: "j-2", attempt: 1, fromSequence: 0, stream: nil, limit: 100)
        XCTAssertEqual(otherJob, [])
    }
}

/// A store that only forwards the paged reads, so the protocol's default implementations run.
private struct PagedOnly: JobStore {
    let base: SQLiteJobStore
    func write(_ mutations: [StoreMutation]) -> StoreWriteTicket { base.write(mutations) }
    func loadState() async throws -> StoredState { try await base.loadState() }
    func job(id: String) async throws -> StoredJob? { try await base.job(id: id) }
    func job(idempotencyKey: String) async throws -> StoredJob? { try await base.job(idempotencyKey: idempotencyKey) }
    func jobs(matching query: JobQuery) async throws -> JobPage { try await base.jobs(matching: query) }
    func events(jobID: String, fromSequence: UInt64, includeLogs: Bool, limit: Int) async throws -> [Hodei_V1_JobEvent] {
        try await base.events(jobID: jobID, fromSequence: fromSequence, includeLogs: includeLogs, limit: limit)
    }
    func logs(jobID: String, attempt: UInt32, fromSequence: UInt64, stream: Hodei_V1_LogStream?, limit: Int) async throws -> [Hodei_V1_LogEntry] {
        try await base.logs(jobID: jobID, attempt: attempt, fromSequence: fromSequence, stream: stream, limit: limit)
    }
    func attempts(jobID: String) async throws -> [StoredAttempt] { try await base.attempts(jobID: jobID) }
    func close() async { await base.close() }
}
