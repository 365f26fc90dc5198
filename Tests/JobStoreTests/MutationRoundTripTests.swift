import JobAPI
import JobStore
import ProtoRuntime
import XCTest

/// Every mutation written, then read back through the queries.
final class MutationRoundTripTests: XCTestCase {
    func testInsertedJobReadsBackByIDAndIdempotencyKey() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let stored = makeJob(id: "j-1", submitOrder: 1, labels: ["team": "core"], idempotencyKey: "key-1")
        try await store.commit([.insertJob(stored)])

        let byID = try await store.job(id: "j-1")
        XCTAssertEqual(byID, stored)
        let byKey = try await store.job(idempotencyKey: "key-1")
        XCTAssertEqual(byKey, stored)
        let missing = try await store.job(id: "nope")
        XCTAssertNil(missing)
        let missingKey = try await store.job(idempotencyKey: "other")
        XCTAssertNil(missingKey)
        let emptyKey = try await store.job(idempotencyKey: "")
        XCTAssertNil(emptyKey, "an empty key is no key")
    }

    func testUpdateReplacesTheJobAndItsLabels() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: 1, labels: ["team": "core"]))])

        var updated = makeJob(id: "j-1", submitOrder: 1, state: .running, workerID: "w-1", labels: ["team": "edge"])
        var progress = Hodei_V1_Progress()
        progress.percent = 42.5
        progress.message = "halfway"
        updated.job.progress = progress
        updated.job.startedAt = timestamp(1_700_000_050)
        updated.job.lastEventSequence = 7
        try await store.commit([.updateJob(updated)])

        let read = try await store.job(id: "j-1")
        XCTAssertEqual(read, updated)
        let oldLabel = try await store.jobs(matching: JobQuery(labels: ["team": "core"]))
        XCTAssertEqual(oldLabel.jobs.count, 0, "the old label must no longer match")
        let newLabel = try await store.jobs(matching: JobQuery(labels: ["team": "edge"]))
        XCTAssertEqual(newLabel.jobs.map(\.job.id), ["j-1"])
        let byWorker = try await store.jobs(matching: JobQuery(workerID: "w-1"))
        XCTAssertEqual(byWorker.jobs.map(\.job.id), ["j-1"])
    }

    func testStatusUpdateChangesStateAndWorkerAndKeepsKeyAndLabels() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let inserted = makeJob(id: "j-1", submitOrder: 1, labels: ["team": "core"], idempotencyKey: "key-1")
        try await store.commit([.insertJob(inserted)])

        var running = inserted
        running.job.state = .running
        running.job.workerId = "w-1"
        running.job.startedAt = timestamp(1_700_000_050)
        try await store.commit([.updateJobStatus(running)])

        let read = try await store.job(id: "j-1")
        XCTAssertEqual(read, running)
        let byKey = try await store.job(idempotencyKey: "key-1")
        XCTAssertEqual(byKey?.job.state, .running, "the idempotency key still finds the job")
        let byLabel = try await store.jobs(matching: JobQuery(states: [.running], labels: ["team": "core"]))
        XCTAssertEqual(byLabel.jobs.map(\.job.id), ["j-1"], "labels and the state index follow")
        let queued = try await store.jobs(matching: JobQuery(states: [.queued]))
        XCTAssertEqual(queued.jobs.count, 0, "the old state no longer matches")
        let byWorker = try await store.jobs(matching: JobQuery(workerID: "w-1"))
        XCTAssertEqual(byWorker.jobs.map(\.job.id), ["j-1"])

        let error = await assertStoreError(.constraint) {
            try await store.commit([.updateJobStatus(makeJob(id: "ghost", submitOrder: 9))])
        }
        XCTAssertTrue(error?.message.contains("ghost") ?? false, error?.message ?? "")
    }

    /// A status update that keeps the worker leaves worker_id alone (a cheaper statement);
    /// one that changes it, either way, moves the job in the by-worker index.
    func testStatusUpdatesKeepingOrChangingTheWorker() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        var job = makeJob(id: "j-1", submitOrder: 1)
        try await store.commit([.insertJob(job)])

        job.job.state = .assigned
        job.job.workerId = "w-1"
        try await store.commit([.updateJobStatus(job)])
        job.job.state = .succeeded
        var progress = Hodei_V1_Progress()
        progress.percent = 100
        job.job.progress = progress
        try await store.commit([.updateJobStatus(job)])
        var read = try await store.job(id: "j-1")
        XCTAssertEqual(read, job, "the update that kept the worker stored the state and the message")
        var succeeded = try await store.jobs(matching: JobQuery(states: [.succeeded], workerID: "w-1"))
        XCTAssertEqual(succeeded.jobs.map(\.job.id), ["j-1"])
        let assigned = try await store.jobs(matching: JobQuery(states: [.assigned]))
        XCTAssertEqual(assigned.jobs.count, 0, "the old state no longer matches")

        // Requeued (no worker), then placed on another worker.
        job.job.state = .queued
        job.job.workerId = ""
        try await store.commit([.updateJobStatus(job)])
        let onW1 = try await store.jobs(matching: JobQuery(workerID: "w-1"))
        XCTAssertEqual(onW1.jobs.count, 0, "requeued: no longer on w-1")
        job.job.state = .succeeded
        job.job.workerId = "w-2"
        try await store.commit([.updateJobStatus(job)])
        read = try await store.job(id: "j-1")
        XCTAssertEqual(read, job)
        succeeded = try await store.jobs(matching: JobQuery(states: [.succeeded], workerID: "w-2"))
        XCTAssertEqual(succeeded.jobs.map(\.job.id), ["j-1"])
    }

    func testUpdateOfAnUnknownJobFailsItsCall() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let error = await assertStoreError(.constraint) {
            try await store.commit([.updateJob(makeJob(id: "ghost", submitOrder: 9))])
        }
        XCTAssertTrue(error?.message.contains("ghost") ?? false, error?.message ?? "")
    }

    func testAttemptsAreUpsertedAndListedInOrder() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        let second = StoredAttempt(jobID: "j-1", attempt: 2, workerID: "w-2", assignedAt: timestamp(200))
        var first = StoredAttempt(jobID: "j-1", attempt: 1, workerID: "w-1", assignedAt: timestamp(100))
        try await store.commit([.upsertAttempt(second), .upsertAttempt(first)])

        first.startedAt = timestamp(101, 5)
        first.finishedAt = timestamp(150)
        var result = Hodei_V1_JobResult()
        result.jobId = "j-1"
        result.attempt = 1
        result.finalState = .failed
        result.termination = .exitCode(3)
        result.errorMessage = "boom"
        first.result = result
        try await store.commit([.upsertAttempt(first)])

        let attempts = try await store.attempts(jobID: "j-1")
        XCTAssertEqual(attempts, [first, second])
        let none = try await store.attempts(jobID: "other")
        XCTAssertEqual(none, [])
    }

    func testWorkersAreUpsertedByIDAndNamesStayUnique() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        var worker = makeWorker(id: "w-1", name: "alpha")
        try await store.commit([.upsertWorker(worker), .upsertWorker(makeWorker(id: "w-2", name: "beta"))])
        worker.state = .draining
        worker.lastHeartbeatAt = timestamp(1_700_000_100)
        try await store.commit([.upsertWorker(worker)])

        await assertStoreError(.constraint) {
            try await store.commit([.upsertWorker(makeWorker(id: "w-3", name: "alpha"))])
        }
        let state = try await store.loadState()
        XCTAssertEqual(state.workers, [worker, makeWorker(id: "w-2", name: "beta")])
    }

    func testLoadStateHoldsActiveJobsInSubmitOrderAndTheLastOrder() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let empty = try await store.loadState()
        XCTAssertEqual(empty.activeJobs, [])
        XCTAssertEqual(empty.lastSubmitOrder, 0)

        let states: [Hodei_V1_JobState] = [.running, .succeeded, .queued, .failed, .assigned, .cancelled, .timedOut, .lost, .queued]
        // Inserted out of order: loadState must sort by submitOrder, not by insertion.
        let jobs = states.enumerated().map { makeJob(id: "j-\($0.offset)", submitOrder: UInt64(20 - $0.offset), state: $0.element) }
        try await store.commit(jobs.map { .insertJob($0) })

        let state = try await store.loadState()
        XCTAssertEqual(state.activeJobs.map(\.job.id), ["j-8", "j-4", "j-2", "j-0"])
        XCTAssertEqual(state.activeJobs.map(\.submitOrder), [12, 16, 18, 20])
        XCTAssertEqual(state.lastSubmitOrder, 20)
    }

    func testAMutationFailingInsideACallUndoesTheWholeCall() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        await assertStoreError(.constraint) {
            // The second insert repeats j-1's id: the first one must be undone with it.
            try await store.commit([.insertJob(makeJob(id: "j-2", submitOrder: 2)), .insertJob(makeJob(id: "j-1", submitOrder: 3))])
        }
        let undone = try await store.job(id: "j-2")
        XCTAssertNil(undone)
        let state = try await store.loadState()
        XCTAssertEqual(state.lastSubmitOrder, 1)
    }

    func testSubmitOrdersAboveInt64MaxAreRefused() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        await assertStoreError(.constraint) {
            try await store.commit([.insertJob(makeJob(id: "j-1", submitOrder: UInt64(Int64.max) + 1))])
        }
    }

    func testEventsOfAnUnknownJobAreRefused() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        await assertStoreError(.constraint) {
            try await store.commit([.appendEvents(jobID: "ghost", events: [stateEvent(sequence: 1, from: .queued, to: .assigned)])])
        }
    }

    func testAnEmptyWriteResolvesAfterTheEarlierOnes() async throws {
        let (store, _) = try openTemporaryStore(for: self)
        let first = store.write([.insertJob(makeJob(id: "j-1", submitOrder: 1))])
        try await store.write([]).durable()
        XCTAssertTrue(first.isResolved, "an empty write is queued behind earlier ones")
    }
}
