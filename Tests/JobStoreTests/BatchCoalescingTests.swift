@testable import JobStore
import JobAPI
import ProtoRuntime
import XCTest

/// Row writes that overwrite each other in one batch are folded; everything else is kept as
/// queued, in order.
final class BatchCoalescingTests: XCTestCase {
    private func status(_ id: String, _ state: Hodei_V1_JobState, worker: String = "", labels: [String: String] = [:]) -> StoreMutation {
        .updateJobStatus(makeJob(id: id, submitOrder: 1, state: state, workerID: worker, labels: labels))
    }

    private func summary(_ calls: [[StoreMutation]]) -> [[String]] {
        calls.map { call in
            call.map { mutation in
                switch mutation {
                case .insertJob(let stored): "insert \(stored.job.id) \(stored.job.state) \(stored.idempotencyKey)"
                case .updateJob(let stored): "update \(stored.job.id) \(stored.job.state)"
                case .updateJobStatus(let stored): "status \(stored.job.id) \(stored.job.state)"
                case .appendEvents(let jobID, let events): "events \(jobID) \(events.count)"
                case .upsertAttempt(let attempt): "attempt \(attempt.jobID)"
                case .upsertWorker(let worker): "worker \(worker.id)"
                }
            }
        }
    }

    func testAJobInsertedAndUpdatedInOneBatchIsInsertedWithItsLastState() {
        let calls: [[StoreMutation]] = [
            [.insertJob(makeJob(id: "a", submitOrder: 1, idempotencyKey: "k")), .appendEvents(jobID: "a", events: [Hodei_V1_JobEvent()])],
            [status("a", .assigned, worker: "w"), .appendEvents(jobID: "a", events: [Hodei_V1_JobEvent()])],
            [status("b", .running)],
            [status("a", .running, worker: "w")],
        ]
        XCTAssertEqual(summary(BatchCoalescing.coalesce(calls)), [
            ["insert a running k", "events a 1"],
            ["events a 1"],
            ["status b running"],
            [],
        ])
    }

    func testRepeatedUpdatesKeepTheLastOnly() {
        let calls: [[StoreMutation]] = [
            [status("a", .running), .upsertAttempt(StoredAttempt(jobID: "a", attempt: 1, workerID: "w", assignedAt: .init()))],
            [status("a", .succeeded)],
        ]
        XCTAssertEqual(summary(BatchCoalescing.coalesce(calls)), [["attempt a"], ["status a succeeded"]])
    }

    func testNothingRepeatedIsReturnedAsQueued() {
        let calls: [[StoreMutation]] = [[status("a", .running)], [status("b", .running)], [.insertJob(makeJob(id: "c", submitOrder: 3))]]
        XCTAssertEqual(summary(BatchCoalescing.coalesce(calls)), summary(calls))
    }

    func testAnUpdateBeforeItsInsertOrAFullUpdateLeavesTheJobAlone() {
        let early: [[StoreMutation]] = [[status("a", .running)], [.insertJob(makeJob(id: "a", submitOrder: 1))], [status("a", .succeeded)]]
        XCTAssertEqual(summary(BatchCoalescing.coalesce(early)), summary(early))
        let respecified: [[StoreMutation]] = [[.insertJob(makeJob(id: "a", submitOrder: 1))], [status("a", .running, labels: ["x": "y"])]]
        XCTAssertEqual(summary(BatchCoalescing.coalesce(respecified)), summary(respecified))
        let full: [[StoreMutation]] = [[status("a", .running)], [.updateJob(makeJob(id: "a", submitOrder: 1))], [status("a", .succeeded)]]
        XCTAssertEqual(summary(BatchCoalescing.coalesce(full)), summary(full))
    }

    func testAFoldedBatchStoresTheSameAsTheCallsOneByOne() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let tickets = store.writeTogether([
            [.insertJob(makeJob(id: "a", submitOrder: 1, labels: ["team": "core"], idempotencyKey: "k"))],
            [status("a", .assigned, worker: "w", labels: ["team": "core"])],
            [status("a", .running, worker: "w", labels: ["team": "core"])],
        ])
        for ticket in tickets { try await ticket.durable() }
        let read = try await store.job(id: "a")
        XCTAssertEqual(read?.job.state, .running)
        XCTAssertEqual(read?.job.workerId, "w")
        let byKey = try await store.job(idempotencyKey: "k")
        XCTAssertEqual(byKey?.job.id, "a")
        let running = try await store.jobs(matching: JobQuery(states: [.running], labels: ["team": "core"], workerID: "w"))
        XCTAssertEqual(running.jobs.map(\.job.id), ["a"], "state, worker and label indexes follow the folded row")
    }
}
