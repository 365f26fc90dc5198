import Foundation
import JobAPI
import JobStore
import ProtoRuntime
import XCTest

/// Single-job insert calls from concurrent clients, each awaiting its own durability, as
/// SubmitJob does, with `synchronous = FULL`. Prints calls/s and transactions/s.
///
/// 10,000 calls by default; `HODEI_STORE_BENCH_CALLS` and `HODEI_STORE_BENCH_CLIENTS` scale it
/// (the figures in the report used 100,000 calls from 256 clients).
final class WriteThroughputTests: XCTestCase {
    func testConcurrentSingleJobInsertsWithFullSync() async throws {
        let environment = ProcessInfo.processInfo.environment
        let calls = environment["HODEI_STORE_BENCH_CALLS"].flatMap(Int.init) ?? 10_000
        let clients = environment["HODEI_STORE_BENCH_CLIENTS"].flatMap(Int.init) ?? 256
        let (store, _) = try openTemporaryStore(for: self, configuration: .init(synchronous: .full))

        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    // Client c submits orders c+1, c+1+clients, ...: unique and all covered.
                    for order in stride(from: client + 1, through: calls, by: clients) {
                        try await store.write([.insertJob(makeJob(id: "bench-\(order)", submitOrder: UInt64(order)))]).durable()
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let transactions = store.committedTransactions
        print(String(
            format: "store bench: %d calls from %d clients in %.2f s: %.0f writes/s, %d transactions (%.0f/s, %.1f calls each)",
            calls, clients, seconds, Double(calls) / seconds, transactions, Double(transactions) / seconds, Double(calls) / Double(transactions)
        ))

        XCTAssertEqual(store.committedWriteCalls, calls)
        XCTAssertLessThan(transactions, calls, "group commit must put several calls in a transaction")
        let state = try await store.loadState()
        XCTAssertEqual(state.activeJobs.count, calls)
        XCTAssertEqual(state.lastSubmitOrder, UInt64(calls))
    }
}
