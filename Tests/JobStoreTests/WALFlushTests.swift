import Foundation
import JobAPI
@testable import JobStore
import TestSupport
import XCTest

/// With `synchronous: .full`, COMMIT only writes the WAL and a separate thread flushes it:
/// a ticket must not resolve before the flush that follows its commit, and the writer may run
/// one commit ahead of that flush, no more.
final class WALFlushTests: XCTestCase {
    func testATicketResolvesOnlyAfterTheFlushThatFollowsItsCommit() async throws {
        let gate = FlushGate()
        let store = try openStore(flush: gate)
        defer { gate.release() }

        gate.hold()
        let ticket = store.write([.insertJob(makeJob(id: "j-a", submitOrder: 1))])
        // Committed (readers see it) but not flushed: the ticket stays pending.
        try await waitUntilVisible("j-a", in: store)
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertFalse(ticket.isResolved, "a ticket resolved before its commit was flushed")
        XCTAssertGreaterThanOrEqual(gate.calls, 1)

        gate.release()
        try await withTimeout(.seconds(5)) { try await ticket.durable() }
    }

    func testTheWriterCommitsAtMostOneBatchAheadOfTheFlush() async throws {
        let gate = FlushGate()
        let store = try openStore(flush: gate)
        defer { gate.release() }
        let order = ResolutionOrder()

        gate.hold()
        let first = store.write([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        first.whenResolved { _ in order.append("j-1") }
        try await waitUntilVisible("j-1", in: store)
        try await waitUntil { gate.calls >= 1 }
        // The flush of j-1 is held. The next batch commits beside it...
        let second = store.write([.insertJob(makeJob(id: "j-2", submitOrder: 2))])
        second.whenResolved { _ in order.append("j-2") }
        try await waitUntilVisible("j-2", in: store)
        // ...but the one after waits until that flush ends.
        let third = store.write([.insertJob(makeJob(id: "j-3", submitOrder: 3))])
        third.whenResolved { _ in order.append("j-3") }
        try await Task.sleep(for: .milliseconds(200))
        let thirdVisible = try await store.job(id: "j-3")
        XCTAssertNil(thirdVisible, "the writer ran two commits ahead of the flush")
        XCTAssertFalse(first.isResolved || second.isResolved || third.isResolved)

        gate.release()
        try await withTimeout(.seconds(5)) {
            try await first.durable()
            try await second.durable()
            try await third.durable()
        }
        XCTAssertEqual(order.values, ["j-1", "j-2", "j-3"], "tickets resolve in commit order")
    }

    func testAFailedFlushFailsItsTicketsAndEveryLaterWrite() async throws {
        let gate = FlushGate()
        gate.failure = StoreError(.io, "injected fdatasync failure")
        let store = try openStore(flush: gate)

        let first = store.write([.insertJob(makeJob(id: "j-x", submitOrder: 1))])
        await assertFailsWithIO(first)
        // The disk lost a write once; a later flush that succeeds proves nothing about it.
        gate.failure = nil
        let later = store.write([.insertJob(makeJob(id: "j-y", submitOrder: 2))])
        await assertFailsWithIO(later)
    }

    func testAFailedCallWaitsBehindTheFlushOfEarlierCommits() async throws {
        let gate = FlushGate()
        let store = try openStore(flush: gate)
        defer { gate.release() }
        let order = ResolutionOrder()

        gate.hold()
        let stored = store.write([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        stored.whenResolved { _ in order.append("stored") }
        try await waitUntilVisible("j-1", in: store)
        // Same id again: a constraint failure, known without any flush.
        let duplicate = store.write([.insertJob(makeJob(id: "j-1", submitOrder: 2))])
        duplicate.whenResolved { _ in order.append("duplicate") }
        try await Task.sleep(for: .milliseconds(150))
        XCTAssertFalse(duplicate.isResolved, "a failure overtook an earlier commit still being flushed")

        gate.release()
        try await withTimeout(.seconds(5)) { try await stored.durable() }
        do {
            try await duplicate.durable()
            XCTFail("the duplicate insert succeeded")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .constraint)
        }
        XCTAssertEqual(order.values, ["stored", "duplicate"])
    }

    func testTheRealFlushMakesTheDefaultStoreDurableAcrossReopen() async throws {
        let path = try makeTemporaryDirectory(for: self).appendingPathComponent("jobs.sqlite").path
        let store = try SQLiteJobStore(path: path)
        for order in 1...50 {
            try await store.commit([.insertJob(makeJob(id: String(format: "j-%02d", order), submitOrder: UInt64(order)))])
        }
        await store.close()
        let reopened = try SQLiteJobStore(path: path)
        let page = try await reopened.jobs(matching: JobQuery(pageSize: 100))
        XCTAssertEqual(page.jobs.count, 50)
        await reopened.close()
    }

    // MARK: Helpers

    private func openStore(flush gate: FlushGate) throws -> SQLiteJobStore {
        let path = try makeTemporaryDirectory(for: self).appendingPathComponent("jobs.sqlite").path
        let store = try SQLiteJobStore(path: path, configuration: .init(synchronous: .full), flushWAL: { gate.flush() })
        addTeardownBlock {
            gate.release()
            await store.close()
        }
        return store
    }

    /// Waits (at most 5 s) until readers see job `id`, that is, until its write committed.
    private func waitUntilVisible(_ id: String, in store: SQLiteJobStore) async throws {
        for _ in 0..<500 {
            if try await store.job(id: id) != nil { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("job \(id) was not committed within 5 s")
    }

    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<500 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("condition not met within 5 s")
    }

    private func assertFailsWithIO(_ ticket: StoreWriteTicket, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await withTimeout(.seconds(5)) { try await ticket.durable() }
            XCTFail("the write succeeded", file: file, line: line)
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .io, file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }
}

/// A WAL flush that a test can hold back or fail.
private final class FlushGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var held = false
    private var callCount = 0
    private var injectedFailure: StoreError?

    var calls: Int { condition.withLock { callCount } }

    var failure: StoreError? {
        get { condition.withLock { injectedFailure } }
        set { condition.withLock { injectedFailure = newValue } }
    }

    func hold() { condition.withLock { held = true } }

    func release() {
        condition.withLock {
            held = false
            condition.broadcast()
        }
    }

    /// Called on the store's sync thread.
    func flush() -> StoreError? {
        condition.withLock {
            callCount += 1
            while held { condition.wait() }
            return injectedFailure
        }
    }
}

/// Labels appended by ticket callbacks, in the order they ran.
private final class ResolutionOrder: @unchecked Sendable {
    private let lock = NSLock()
    private var labels: [String] = []

    func append(_ label: String) { lock.withLock { labels.append(label) } }
    var values: [String] { lock.withLock { labels } }
}
