import JobAPI
import ProtoRPC
import RPCCore
import RPCTransportHTTP2

/// Submits jobs with unary SubmitJob: as fast as `concurrency` calls in flight allow, or
/// at a target rate; optionally follows some of them with WatchJob. With a rate, latency
/// counts from each job's intended start, so a stalled server cannot hide its queue
/// (coordinated omission).
struct Submitter: Sendable {
    struct Plan: Sendable {
        var jobs = 1000
        /// SubmitJob calls in flight at once.
        var concurrency = 128
        /// Jobs per second (nil: as fast as possible).
        var rate: Double?
        /// Follow every Nth job with WatchJob (0: none).
        var watchEvery = 0
        /// Jobs end only when a watcher sees them end (no simulated workers: a real agent
        /// runs them); then every job is watched.
        var completionByWatch = false
        var argv = ["true"]
    }

    let plan: Plan
    let clients: [GRPCClient]
    let tracker: JobTracker
    let errors: ErrorCounter
    let metadata: Metadata

    /// Submits all jobs; returns the ids accepted, once every SubmitJob has answered (and,
    /// with watchers, once they have ended).
    func run() async -> [String] {
        let inFlight = AsyncLimiter(limit: max(1, plan.concurrency))
        let accepted = LockedBox<[String]>([])
        let start = MonotonicTime.now()
        let watchEvery = plan.completionByWatch ? 1 : plan.watchEvery
        // Each submission runs on its connection's event loop (no thread switch per answer);
        // this loop, which starts them, on the first connection's.
        await withTaskExecutorPreference(clients[0].taskExecutor) {
            await withDiscardingTaskGroup { group in
                for index in 0..<plan.jobs {
                    await tracker.window?.acquire()
                    await inFlight.acquire()
                    var due: UInt64?
                    if let rate = plan.rate, rate > 0 {
                        let at = start + UInt64(Double(index) / rate * 1e9)
                        let now = MonotonicTime.now()
                        if at > now { try? await Task.sleep(for: .nanoseconds(Int64(at - now))) }
                        due = at
                    }
                    let intended = due
                    let client = clients[index % clients.count]
                    let watch = watchEvery > 0 && index % watchEvery == 0
                    group.addTask(executorPreference: client.taskExecutor) {
                        let began = intended ?? MonotonicTime.now()
                        let jobID = await submit(client: client, start: began)
                        inFlight.release()
                        guard let jobID else { return }
                        accepted.withLock { $0.append(jobID) }
                        if watch { await follow(jobID, client: client, submittedAt: began) }
                    }
                }
            }
        }
        return accepted.value
    }

    private func submit(client: GRPCClient, start: UInt64) async -> String? {
        var request = Hodei_V1_SubmitJobRequest()
        var spec = Hodei_V1_JobSpec()
        spec.argv = plan.argv
        request.spec = spec
        do {
            let response = try await Hodei_V1_JobServiceClient(transport: client).submitJob(request, metadata: metadata)
            tracker.submitted(response.jobId, start: start, answered: MonotonicTime.now())
            return response.jobId
        } catch {
            errors.record("SubmitJob", error)
            tracker.window?.release()
            return nil
        }
    }

    /// Follows one job with WatchJob until its final state (bounded by the call's timeout).
    private func follow(_ jobID: String, client: GRPCClient, submittedAt: UInt64) async {
        var request = Hodei_V1_WatchJobRequest()
        request.jobId = jobID
        do {
            let events = try await Hodei_V1_JobServiceClient(transport: client)
                .watchJob(request, metadata: metadata, options: RPCCallOptions(timeout: .seconds(600)))
            for try await event in events {
                let state: Hodei_V1_JobState
                switch event.kind {
                case .snapshot(let job): state = job.state
                case .stateChanged(let change): state = change.state
                default: continue
                }
                guard state.isFinal else { continue }
                let now = MonotonicTime.now()
                tracker.watched(jobID, submittedAt: submittedAt, at: now)
                if plan.completionByWatch { tracker.completed(jobID, at: now, succeeded: state == .succeeded) }
                events.cancel()
                return
            }
            errors.record("WatchJob", code: "ENDED", message: "the watch ended before the job did")
        } catch {
            errors.record("WatchJob", error)
        }
    }
}
