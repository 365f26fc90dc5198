import Glibc
import JobAPI
import Logging
import ProtoRuntime
import Synchronization

/// Why the agent takes no new jobs.
enum DrainOrigin: Sendable, Equatable {
    /// SIGTERM to the agent: every assignment is rejected.
    case local
    /// A DrainRequest from the server: PRIORITY_HIGH jobs may still be placed and are run.
    case server
}

/// The jobs of this worker: answers assignments (JobAccepted or JobRejected), starts and
/// stops ``JobProcess``es, and routes their output and results into the outbox.
///
/// Thread-safe. Assignments and cancellations come from the stream's reader task; the
/// acceptance or rejection of a started job, its output and its result from the job's output
/// thread.
final class JobSupervisor: JobEventSink {
    struct Configuration: Sendable {
        /// Hard limit on jobs running at once (REASON_AT_CAPACITY beyond it).
        var maxJobs: Int
        /// What the worker offers; a job whose quota does not fit next to the running ones is
        /// refused with REASON_INSUFFICIENT_RESOURCES (zero fields are not checked).
        var capacity: Hodei_V1_ResourceQuota
        /// Working directory of jobs whose spec leaves it empty.
        var defaultWorkingDirectory: String
        var outputDrainTimeout: Duration = .seconds(5)
        /// Starts jobs' processes (tests stand in a slow one).
        var spawner: ProcessSpawner.Function = ProcessSpawner.spawn
    }

    private struct Running {
        let process: JobProcess
        let quota: Hodei_V1_ResourceQuota
    }

    private struct State {
        var running: [JobKey: Running] = [:]
        /// Finished attempts, remembered so that a repeated assignment is a duplicate.
        var recent = FIFOQueue<JobKey>()
        var recentSet: Set<JobKey> = []
        var draining: DrainOrigin?
    }

    private let configuration: Configuration
    private let outbox: Outbox
    private let logger: Logger
    private let onChange: @Sendable () -> Void
    private let state = Mutex(State())
    private static let recentLimit = 4096

    /// - Parameter onChange: called when a job finishes (so the session can re-check whether
    ///   a drain is complete).
    init(configuration: Configuration, outbox: Outbox, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.outbox = outbox
        self.logger = logger
        self.onChange = onChange
    }

    /// Attempts whose processes have not finished (reported as running in heartbeats and
    /// attach requests).
    var runningJobs: [JobKey] { state.withLock { Array($0.running.keys) } }

    var isIdle: Bool { state.withLock { $0.running.isEmpty } }

    func setDraining(_ origin: DrainOrigin) {
        state.withLock { state in
            if state.draining != .local { state.draining = origin }
        }
    }

    /// Answers an AssignJobRequest: starts the job and queues JobAccepted, or queues
    /// JobRejected. A repeated assignment of a known attempt is ignored.
    func assign(_ request: Hodei_V1_AssignJobRequest, settings: AgentSettings) {
        let key = JobKey(jobId: request.jobId, attempt: request.attempt)
        let spec = request.spec ?? Hodei_V1_JobSpec()
        var options = JobRunOptions()
        options.maxLogChunkBytes = settings.maxLogChunkBytes
        options.timeoutGracePeriod = settings.cancelGracePeriod
        options.outputDrainTimeout = configuration.outputDrainTimeout
        let timeout = Duration.positive(spec.timeout, or: .zero)

        let reserved = state.withLock { (state: inout State) -> JobProcess? in
            if state.running[key] != nil || state.recentSet.contains(key) {
                logger.debug("duplicate assignment ignored", metadata: ["job_id": "\(key.jobId)", "attempt": "\(key.attempt)"])
                return nil
            }
            if let refusal = refusal(for: spec, in: state) {
                reject(key, refusal.reason, refusal.message)
                return nil
            }
            // The slot is taken now; the spec is resolved and the process spawned on the job's
            // own thread, never the stream's: a stalled mount or a slow exec must not hold up
            // other jobs' messages or the heartbeats.
            let directory = configuration.defaultWorkingDirectory
            let plan: @Sendable () throws(LaunchPlan.InvalidSpec) -> LaunchPlan = { () throws(LaunchPlan.InvalidSpec) -> LaunchPlan in
                try LaunchPlan.make(spec: spec, job: key, defaultWorkingDirectory: directory)
            }
            let process = JobProcess(key: key, plan: plan, timeout: timeout > .zero ? timeout : nil, options: options, sink: self,
                                     spawner: configuration.spawner)
            state.running[key] = Running(process: process, quota: spec.resources ?? Hodei_V1_ResourceQuota())
            return process
        }
        guard let reserved else { return }
        reserved.launch { [self] outcome in
            switch outcome {
            case .success:
                var accepted = Hodei_V1_JobAccepted()
                accepted.jobId = key.jobId
                accepted.attempt = key.attempt
                accepted.startedAt = reserved.startedAt
                accepted.pid = UInt32(reserved.pid)
                // Queued before the output is read: the acceptance precedes every log line.
                outbox.appendControl(.accepted(accepted))
                logger.info("job started", metadata: [
                    "job_id": "\(key.jobId)", "attempt": "\(key.attempt)", "pid": "\(reserved.pid)",
                    "argv": "\(spec.argv)", "memory_limit_mb": "\(spec.resources?.memoryMb ?? 0)",
                ])
            case .failure(let error):
                state.withLock { state in
                    state.running[key] = nil
                    reject(key, error.isTransient ? .insufficientResources : .invalidSpec, error.description)
                }
                onChange()
            }
        }
    }

    /// Handles a CancelJobRequest: SIGTERM now, SIGKILL after its grace period (or
    /// `defaultGrace`). Attempt 0 means whatever attempt of the job runs here. Unknown
    /// attempts are ignored.
    func cancel(_ request: Hodei_V1_CancelJobRequest, defaultGrace: Duration) {
        let processes = state.withLock { state in
            state.running.filter { $0.key.jobId == request.jobId && (request.attempt == 0 || $0.key.attempt == request.attempt) }
                .map(\.value.process)
        }
        let grace = Duration.positive(request.gracePeriod, or: defaultGrace)
        for process in processes {
            logger.info("cancelling job", metadata: [
                "job_id": "\(process.key.jobId)", "attempt": "\(process.key.attempt)", "reason": "\(request.reason)", "grace": "\(grace)",
            ])
            process.terminate(.cancelled(reason: request.reason), gracePeriod: grace)
        }
    }

    /// Kills attempts the server no longer assigns here and drops everything buffered for
    /// them; their results are never reported.
    func killOrphans(_ keys: [JobKey]) {
        guard !keys.isEmpty else { return }
        outbox.drop(keys)
        let processes = state.withLock { state in keys.compactMap { state.running[$0]?.process } }
        for process in processes {
            logger.warning("killing orphaned job", metadata: ["job_id": "\(process.key.jobId)", "attempt": "\(process.key.attempt)"])
            process.terminate(.orphaned, gracePeriod: .zero)
        }
    }

    /// Stops every running job (drain deadline, agent shutdown).
    func terminateAll(_ cause: TerminationCause, gracePeriod: Duration) {
        for process in state.withLock({ $0.running.values.map(\.process) }) {
            process.terminate(cause, gracePeriod: gracePeriod)
        }
    }

    // MARK: JobEventSink

    func jobOutput(_ message: Hodei_V1_WorkerMessage.Kind, of job: JobKey) {
        outbox.appendOutput(message, of: job)
    }

    func jobFinished(_ result: Hodei_V1_JobResult, of job: JobKey) {
        state.withLock { state in
            // Queued before the job leaves `running`, so an attach request in between lists
            // it in one of running_jobs or pending_result_jobs.
            outbox.appendControl(.result(result))
            state.running[job] = nil
            state.recent.append(job)
            state.recentSet.insert(job)
            if state.recent.count > Self.recentLimit, let oldest = state.recent.popFirst() {
                state.recentSet.remove(oldest)
            }
        }
        logger.info("job finished", metadata: [
            "job_id": "\(job.jobId)", "attempt": "\(job.attempt)", "state": "\(result.finalState.protoName ?? "?")",
            "termination": "\(Self.describe(result.termination))", "duration_s": "\(Duration(result.duration ?? .init()).inSeconds)",
            "log_lines": "\(result.lastLogSequence)",
        ])
        onChange()
    }

    // MARK: Internals

    /// "exit 0", "signal 9" or "none": for the log line of every job, so not through
    /// `String(describing:)`, which walks the enum with a Mirror.
    private static func describe(_ termination: Hodei_V1_JobResult.Termination?) -> String {
        switch termination {
        case .exitCode(let code): "exit \(code)"
        case .signal(let signal): "signal \(signal)"
        case nil: "none"
        }
    }

    private func refusal(for spec: Hodei_V1_JobSpec, in state: State) -> (reason: Hodei_V1_JobRejected.Reason, message: String)? {
        switch state.draining {
        case .local:
            return (.draining, "the agent is draining")
        case .server where spec.priority != .high:
            return (.draining, "the worker is draining")
        case .server, nil:
            break
        }
        if state.running.count >= configuration.maxJobs {
            return (.atCapacity, "already running \(state.running.count) of \(configuration.maxJobs) jobs")
        }
        let quota = spec.resources ?? Hodei_V1_ResourceQuota()
        let used = state.running.values.reduce(into: (cpu: UInt64(0), memory: UInt64(0), gpus: UInt64(0))) { sum, job in
            sum.cpu += UInt64(job.quota.cpuMillicores)
            sum.memory += UInt64(job.quota.memoryMb)
            sum.gpus += UInt64(job.quota.gpus)
        }
        let capacity = configuration.capacity
        if capacity.cpuMillicores > 0 && used.cpu + UInt64(quota.cpuMillicores) > UInt64(capacity.cpuMillicores) {
            return (.insufficientResources, "needs \(quota.cpuMillicores) millicores, \(UInt64(capacity.cpuMillicores) - min(used.cpu, UInt64(capacity.cpuMillicores))) free")
        }
        if capacity.memoryMb > 0 && used.memory + UInt64(quota.memoryMb) > UInt64(capacity.memoryMb) {
            return (.insufficientResources, "needs \(quota.memoryMb) MB, \(UInt64(capacity.memoryMb) - min(used.memory, UInt64(capacity.memoryMb))) MB free")
        }
        if quota.gpus > 0 && used.gpus + UInt64(quota.gpus) > UInt64(capacity.gpus) {
            return (.insufficientResources, "needs \(quota.gpus) GPUs, \(UInt64(capacity.gpus) - min(used.gpus, UInt64(capacity.gpus))) free")
        }
        return nil
    }

    private func reject(_ key: JobKey, _ reason: Hodei_V1_JobRejected.Reason, _ message: String) {
        var rejected = Hodei_V1_JobRejected()
        rejected.jobId = key.jobId
        rejected.attempt = key.attempt
        rejected.reason = reason
        rejected.message = message
        outbox.appendControl(.rejected(rejected))
        logger.notice("job rejected", metadata: [
            "job_id": "\(key.jobId)", "attempt": "\(key.attempt)", "reason": "\(reason.protoName ?? "?")", "message": "\(message)",
        ])
    }
}
