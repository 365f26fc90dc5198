import JobAPI
@testable import JobStore
import ProtoRuntime
import XCTest

/// ListJobs: newest first, filters, and paging by cursor.
final class JobQueryTests: XCTestCase {
    /// 25 jobs, submit orders 1...25: states cycle QUEUED, RUNNING, SUCCEEDED; odd orders run
    /// on w-odd, even ones on w-even; every job has team=core or team=edge (by order % 2), and
    /// multiples of 5 also carry tier=gold.
    private func seed(_ store: SQLiteJobStore) async throws {
        let states: [Hodei_V1_JobState] = [.queued, .running, .succeeded]
        var mutations: [StoreMutation] = []
        for order in 1...25 {
            var labels = ["team": order % 2 == 0 ? "edge" : "core"]
            if order % 5 == 0 { labels["tier"] = "gold" }
            mutations.append(.insertJob(makeJob(
                id: "j-\(order)", submitOrder: UInt64(order), state: states[order % 3],
                workerID: order % 2 == 0 ? "w-even" : "w-odd", labels: labels
            )))
        }
        try await store.commit(mutations)
    }

    func testPagesWalkEveryJobNewestFirst() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await seed(store)
        var seen: [UInt64] = []
        var cursor: UInt64? = nil
        var pages = 0
        repeat {
            let page = try await store.jobs(matching: JobQuery(pageSize: 10, before: cursor))
            seen += page.jobs.map(\.submitOrder)
            cursor = page.nextCursor
            if let cursor { XCTAssertEqual(cursor, page.jobs.last?.submitOrder) }
            pages += 1
        } while cursor != nil && pages < 10
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen, Array((1...25).reversed()).map(UInt64.init))
    }

    func testAnExactlyFullLastPageHasNoCursor() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await seed(store)
        let page = try await store.jobs(matching: JobQuery(pageSize: 5, before: 6))
        XCTAssertEqual(page.jobs.map(\.submitOrder), [5, 4, 3, 2, 1])
        XCTAssertNil(page.nextCursor)
    }

    func testStatesFilterMatchesAnyOfThem() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await seed(store)
        let page = try await store.jobs(matching: JobQuery(states: [.queued, .succeeded]))
        let expected = (1...25).reversed().filter { $0 % 3 != 1 }.map(UInt64.init)
        XCTAssertEqual(page.jobs.map(\.submitOrder), expected)
        XCTAssertTrue(page.jobs.allSatisfy { $0.job.state == .queued || $0.job.state == .succeeded })
        XCTAssertNil(page.nextCursor)
    }

    func testLabelsFilterNeedsEveryPair() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await seed(store)
        let gold = try await store.jobs(matching: JobQuery(labels: ["tier": "gold"]))
        XCTAssertEqual(gold.jobs.map(\.submitOrder), [25, 20, 15, 10, 5])
        let goldEdge = try await store.jobs(matching: JobQuery(labels: ["tier": "gold", "team": "edge"]))
        XCTAssertEqual(goldEdge.jobs.map(\.submitOrder), [20, 10])
        let wrongValue = try await store.jobs(matching: JobQuery(labels: ["tier": "silver"]))
        XCTAssertEqual(wrongValue.jobs.count, 0)
    }

    func testWorkerAndCombinedFiltersPageTogether() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await seed(store)
        // Even orders on w-even with state RUNNING (order % 3 == 1): 22, 16, 10, 4.
        let query = JobQuery(states: [.running], labels: ["team": "edge"], workerID: "w-even", pageSize: 3)
        let first = try await store.jobs(matching: query)
        XCTAssertEqual(first.jobs.map(\.submitOrder), [22, 16, 10])
        XCTAssertEqual(first.nextCursor, 10)
        var next = query
        next.before = first.nextCursor
        let second = try await store.jobs(matching: next)
        XCTAssertEqual(second.jobs.map(\.submitOrder), [4])
        XCTAssertNil(second.nextCursor)
    }

    func testPageSizeBelowOneStillReturnsOneJob() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await seed(store)
        let page = try await store.jobs(matching: JobQuery(pageSize: 0))
        XCTAssertEqual(page.jobs.map(\.submitOrder), [25])
        XCTAssertEqual(page.nextCursor, 25)
    }

    func testSeveralStatesWithLabelsPageAcrossTheMergedWalks() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await seed(store)
        for labels in [[:], ["team": "core"]] {
            let expected = (1...25).reversed()
                .filter { $0 % 3 != 1 && (labels.isEmpty || $0 % 2 == 1) }
                .map(UInt64.init)
            var seen: [UInt64] = []
            var cursor: UInt64? = nil
            var pages = 0
            repeat {
                let page = try await store.jobs(matching: JobQuery(states: [.succeeded, .queued], labels: labels, pageSize: 4, before: cursor))
                XCTAssertLessThanOrEqual(page.jobs.count, 4)
                seen += page.jobs.map(\.submitOrder)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 20
            XCTAssertEqual(seen, expected, "labels \(labels)")
        }
    }

    /// The plans read rows in submit order from an index, never sorting every match.
    func testFilteredPagesDoNotSortTheWholeTable() throws {
        let path = try makeTemporaryDirectory(for: self).appendingPathComponent("plans.sqlite").path
        let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        defer { connection.close() }
        try SQLiteMigrator.migrate(connection)
        let queries = [
            JobQuery(),
            JobQuery(states: [.queued]),
            JobQuery(states: [.queued], before: 10),
            JobQuery(workerID: "w-1"),
            JobQuery(labels: ["team": "core"]),
            JobQuery(states: [.queued, .running], labels: ["team": "core", "tier": "gold"], workerID: "w-1", before: 10),
        ]
        for query in queries {
            let plan = JobQuerySQL(query)
            var steps: [String] = []
            try connection.withStatement("EXPLAIN QUERY PLAN " + plan.sql) { statement throws(StoreError) in
                try plan.bind(to: statement)
                while try statement.step() { steps.append(statement.string(3)) }
            }
            XCTAssertFalse(steps.contains { $0.contains("TEMP B-TREE") }, "\(query): \(steps)")
        }
    }
}
