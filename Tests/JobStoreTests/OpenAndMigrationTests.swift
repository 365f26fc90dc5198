import Foundation
import JobAPI
@testable import JobStore
import ProtoRuntime
import XCTest

/// Opening files: schema versions, garbage, and everything surviving a close and reopen.
final class OpenAndMigrationTests: XCTestCase {
    private func userVersion(of path: String) throws -> Int64? {
        let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        defer { connection.close() }
        return try connection.scalarInt64("PRAGMA user_version")
    }

    func testAFreshFileGetsTheCurrentSchemaVersionInWALMode() async throws {
        let (store, path) = try openTemporaryStore(for: self)
        await store.close()
        XCTAssertEqual(try userVersion(of: path), SQLiteSchema.currentVersion)
        XCTAssertGreaterThanOrEqual(SQLiteSchema.currentVersion, 1)
        let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        defer { connection.close() }
        XCTAssertEqual(try connection.scalarString("PRAGMA journal_mode"), "wal")
    }

    func testAFileWithANewerSchemaIsRefused() async throws {
        let (store, path) = try openTemporaryStore(for: self)
        await store.close()
        let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        try connection.execute("PRAGMA user_version = \(SQLiteSchema.currentVersion + 1)")
        connection.close()

        XCTAssertThrowsError(try SQLiteJobStore(path: path)) { error in
            let storeError = error as? StoreError
            XCTAssertEqual(storeError?.kind, .other)
            XCTAssertTrue(storeError?.message.contains("newer") ?? false, "\(error)")
        }
        // Refusing must not have touched the version.
        XCTAssertEqual(try userVersion(of: path), SQLiteSchema.currentVersion + 1)
    }

    func testAFileThatIsNotADatabaseGivesAClearError() throws {
        let path = try makeTemporaryDirectory(for: self).appendingPathComponent("garbage.sqlite").path
        let garbage = Data(String(repeating: "this is not a SQLite database\n", count: 200).utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: garbage))
        XCTAssertThrowsError(try SQLiteJobStore(path: path)) { error in
            let storeError = error as? StoreError
            XCTAssertEqual(storeError?.kind, .corrupt, "\(error)")
            XCTAssertTrue(storeError?.message.contains(path) ?? false, "\(error)")
            XCTAssertTrue(storeError?.message.contains("not a database") ?? false, "\(error)")
        }
    }

    func testAnUnopenablePathGivesAnIOError() throws {
        let directory = try makeTemporaryDirectory(for: self)
        let path = directory.appendingPathComponent("missing-dir/jobs.sqlite").path
        XCTAssertThrowsError(try SQLiteJobStore(path: path)) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .io, "\(error)")
        }
    }

    func testEverythingSurvivesCloseAndReopen() async throws {
        let (store, path) = try openTemporaryStore(for: self, configuration: .init(synchronous: .normal))
        let queued = makeJob(id: "j-1", submitOrder: 1, labels: ["team": "core"], idempotencyKey: "k-1")
        let done = makeJob(id: "j-2", submitOrder: 2, state: .succeeded, workerID: "w-1")
        let attempt = StoredAttempt(jobID: "j-2", attempt: 1, workerID: "w-1", assignedAt: timestamp(10), startedAt: timestamp(11))
        let events = [stateEvent(sequence: 1, from: .queued, to: .assigned), logEvent(sequence: 2, attempt: 1, logSequence: 1, line: "out")]
        let worker = makeWorker(id: "w-1", name: "alpha")
        try await store.commit([
            .insertJob(queued), .insertJob(done), .upsertAttempt(attempt),
            .appendEvents(jobID: "j-2", events: events), .upsertWorker(worker),
        ])
        await store.close()

        let reopened = try SQLiteJobStore(path: path)
        let state = try await reopened.loadState()
        XCTAssertEqual(state.activeJobs, [queued])
        XCTAssertEqual(state.workers, [worker])
        XCTAssertEqual(state.lastSubmitOrder, 2)
        let byKey = try await reopened.job(idempotencyKey: "k-1")
        XCTAssertEqual(byKey, queued)
        let byLabel = try await reopened.jobs(matching: JobQuery(labels: ["team": "core"]))
        XCTAssertEqual(byLabel.jobs, [queued])
        let readDone = try await reopened.job(id: "j-2")
        XCTAssertEqual(readDone, done)
        let attempts = try await reopened.attempts(jobID: "j-2")
        XCTAssertEqual(attempts, [attempt])
        let readEvents = try await reopened.events(jobID: "j-2", fromSequence: 0, includeLogs: true, limit: 10)
        XCTAssertEqual(readEvents, events)
        let logs = try await reopened.logs(jobID: "j-2", attempt: 1, fromSequence: 0, stream: nil, limit: 10)
        XCTAssertEqual(logs.count, 1)
        // The writer works after a reopen (the schema is not re-applied).
        try await reopened.commit([.insertJob(makeJob(id: "j-3", submitOrder: 3))])
        await reopened.close()
    }
}
