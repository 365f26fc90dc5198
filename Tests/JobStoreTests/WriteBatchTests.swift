@testable import JobStore
import JobAPI
import ProtoRuntime
import XCTest

/// The writer: call order, per-call failure inside a shared transaction, group commit, close.
final class WriteBatchTests: XCTestCase {
    func testIdempotencyKeyCollisionFailsOnlyThatCallOfTheBatch() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await store.commit([.insertJob(makeJob(id: "warm-up", submitOrder: 1))])
        let transactionsBefore = store.committedTransactions
        // Queued under one lock: the writer cannot take them in separate batches.
        let tickets = store.writeTogether([
            [.insertJob(makeJob(id: "j-a", submitOrder: 2, idempotencyKey: "same"))],
            [.insertJob(makeJob(id: "j-b", submitOrder: 3, idempotencyKey: "same"))],
            [.insertJob(makeJob(id: "j-c", submitOrder: 4))],
            // Fails on its second mutation: its first must be undone with it.
            [.insertJob(makeJob(id: "j-d", submitOrder: 5)), .insertJob(makeJob(id: "j-a", submitOrder: 6))],
        ])
        let (first, duplicate, unrelated) = (tickets[0], tickets[1], tickets[2])

        try await first.durable()
        let error = await assertStoreError(.constraint) { try await duplicate.durable() }
        XCTAssertTrue(error?.message.contains("idempotency_key") ?? false, error?.message ?? "")
        try await unrelated.durable()
        await assertStoreError(.constraint) { try await tickets[3].durable() }
        XCTAssertEqual(store.committedTransactions - transactionsBefore, 1, "the four calls shared one transaction")

        let kept = try await store.job(idempotencyKey: "same")
        XCTAssertEqual(kept?.job.id, "j-a")
        let rejected = try await store.job(id: "j-b")
        XCTAssertNil(rejected)
        let after = try await store.job(id: "j-c")
        XCTAssertNotNil(after)
        let undone = try await store.job(id: "j-d")
        XCTAssertNil(undone, "a failing call is undone whole")
    }

    func testWritesOfOneCallerApplyInCallOrder() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        var job = makeJob(id: "j-1", submitOrder: 1)
        var tickets = [store.write([.insertJob(job)])]
        // Not awaited in between: the queue alone must keep the order, across batches.
        for step in 1...2_000 {
            job.job.lastEventSequence = UInt64(step)
            job.job.state = step.isMultiple(of: 2) ? .running : .assigned
            tickets.append(store.write([.updateJob(job)]))
        }
        for ticket in tickets { try await ticket.durable() }
        let read = try await store.job(id: "j-1")
        XCTAssertEqual(read?.job.lastEventSequence, 2_000)
        XCTAssertEqual(read?.job.state, .running)
    }

    func testConcurrentWritesShareFarFewerTransactions() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let calls = 10_000
        let before = store.committedTransactions
        try await withThrowingTaskGroup(of: Void.self) { group in
            for order in 1...calls {
                group.addTask { try await store.commit([.insertJob(makeJob(id: "j-\(order)", submitOrder: UInt64(order)))]) }
            }
            try await group.waitForAll()
        }
        let transactions = store.committedTransactions - before
        XCTAssertGreaterThan(transactions, 0)
        XCTAssertLessThan(transactions, calls / 10, "group commit should batch: \(transactions) transactions for \(calls) calls")
        let state = try await store.loadState()
        XCTAssertEqual(state.activeJobs.count, calls)
        XCTAssertEqual(state.lastSubmitOrder, UInt64(calls))
    }

    func testBatchesAreBoundedByTheConfiguredSize() async throws {
        let (store, _) = try openTemporaryStore(for: self, configuration: .init(maxCallsPerTransaction: 10))
        let before = store.committedTransactions
        let tickets = (1...100).map { store.write([.insertJob(makeJob(id: "j-\($0)", submitOrder: UInt64($0)))]) }
        for ticket in tickets { try await ticket.durable() }
        XCTAssertGreaterThanOrEqual(store.committedTransactions - before, 10)
    }

    func testCloseCommitsWhatIsQueuedThenRefusesWritesAndReads() async throws {
        let (store, path) = try openTemporaryStore(for: self)
        let tickets = (1...500).map { store.write([.insertJob(makeJob(id: "j-\($0)", submitOrder: UInt64($0)))]) }
        await store.close()
        XCTAssertTrue(tickets.allSatisfy(\.isResolved), "close returns after the queued writes committed")
        for ticket in tickets { try await ticket.durable() }

        let late = store.write([.insertJob(makeJob(id: "late", submitOrder: 1_000))])
        await assertStoreError(.closed) { try await late.durable() }
        await assertStoreError(.closed) { try await store.job(id: "j-1") }
        await store.close()  // a second close returns too

        let reopened = try SQLiteJobStore(path: path)
        let state = try await reopened.loadState()
        XCTAssertEqual(state.activeJobs.count, 500)
        await reopened.close()
    }

    func testALockHeldElsewhereFailsTheBatchAfterTheBusyTimeoutThenWritesResume() async throws {
        let (store, path) = try openTemporaryStore(for: self, configuration: .init(busyTimeoutMilliseconds: 50))
        let blocker = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 50)
        try blocker.execute("BEGIN IMMEDIATE")
        let blocked = store.write([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        let error = await assertStoreError(.io) { try await blocked.durable() }
        XCTAssertTrue(error?.message.contains("locked") ?? false, error?.message ?? "")
        try blocker.execute("COMMIT")
        blocker.close()

        try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        let stored = try await store.job(id: "j-1")
        XCTAssertNotNil(stored)
    }
}
