import Foundation
import JobAPI
import Logging
import RPCCore
import Synchronization

/// The agent's life with the server: register, hold the JobStream, reconnect, drain.
///
///     register ──► attach ──► streaming ──stream breaks──► backoff (unary heartbeats) ──► attach ...
///        ▲            │            │                                  │
///        └────────────┴────────────┴── NOT_FOUND / FAILED_PRECONDITION ┘
///
///     streaming ──drain (SIGTERM or DrainRequest), no jobs left, all acknowledged──► close stream ──► exit 0
///
/// `run()` returns only when the agent should exit: after a completed drain, after a second
/// SIGTERM (``forceStop()``) once the cancelled jobs are reported or a deadline passed, or on
/// a fatal error (credentials refused).
///
/// Thread-safe: state lives in a mutex; the outbox and the supervisor are thread-safe.
final class AgentSession: Sendable {
    /// How `run()` ended.
    enum Outcome: Equatable, Sendable {
        /// Drained: every job finished and every report was acknowledged.
        case drained
        /// Stopped by a second signal; true when every report was acknowledged.
        case stopped(allReported: Bool)
        /// A failure retrying cannot fix.
        case fatal(String)

        /// The process exit code for this outcome.
        var exitCode: Int32 {
            switch self {
            case .drained, .stopped(allReported: true): 0
            case .stopped(allReported: false): 1
            case .fatal: 2
            }
        }
    }

    struct State {
        var workerId: String?
        var settings = AgentSettings()
        var drain: DrainOrigin?
        /// Set by a second SIGTERM: when to give up waiting for acknowledgements.
        var forcedDeadline: ContinuousClock.Instant?
        var registrations = 0
    }

    /// Random per agent process: scopes the sequence numbers of the outbox.
    let sessionID = UUID().uuidString.lowercased()
    let configuration: AgentConfiguration
    let client: Hodei_V1_WorkerServiceClient
    let streamExecutor: (any TaskExecutor)?
    let outbox: Outbox
    let supervisor: JobSupervisor
    let logger: Logger
    let cpuSampler = CPUUsageSampler()
    let state = Mutex(State())
    /// The worker id for log lines.
    let identity = WorkerIdentity()

    /// Wakes the stream writer: outbox changes, finished jobs, drains, stops.
    var wake: WakeSignal { outbox.changes }
    /// Wakes the backoff pause between streams: stops.
    let interruptions = WakeSignal()

    /// - Parameter logger: every line it writes carries `worker_name`, and `worker_id` once
    ///   registered (through a metadata provider).
    /// - Parameter streamExecutor: where the JobStream's reader and writer run: the event loop
    ///   of the transport's connection (see `GRPCClient.taskExecutor`), so that a message in
    ///   and the reports out cost no thread switch; nil for the global pool.
    init(configuration: AgentConfiguration, transport: any RPCClientTransport, streamExecutor: (any TaskExecutor)? = nil, logger: Logger) {
        self.configuration = configuration
        self.streamExecutor = streamExecutor
        self.client = Hodei_V1_WorkerServiceClient(transport: transport)
        var logger = logger
        logger[metadataKey: "worker_name"] = "\(configuration.name)"
        logger.handler.metadataProvider = identity.metadataProvider
        self.logger = logger
        let outbox = Outbox(
            limits: Outbox.Limits(
                window: AgentSettings().maxUnackedMessages, memoryMessages: configuration.outboxMemoryMessages,
                spoolBytes: configuration.outboxSpoolBytes, spoolDirectory: configuration.spoolDirectory),
            logger: logger)
        self.outbox = outbox
        let capabilities = configuration.capabilities
        self.supervisor = JobSupervisor(
            configuration: JobSupervisor.Configuration(
                maxJobs: Int(max(1, capabilities.maxConcurrentJobs)),
                capacity: capabilities.total ?? Hodei_V1_ResourceQuota(),
                defaultWorkingDirectory: configuration.defaultWorkingDirectory,
                outputDrainTimeout: configuration.outputDrainTimeout),
            outbox: outbox, logger: logger, onChange: { [outbox] in outbox.changes.signal() })
    }

    var settings: AgentSettings { state.withLock { $0.settings } }
    var workerId: String? { state.withLock { $0.workerId } }

    /// Number of successful RegisterWorker calls so far.
    var registrations: Int { state.withLock { $0.registrations } }

    /// Runs until the agent should exit (see the type's documentation). Whatever job is still
    /// running then (only after a fatal error or a stop that gave up) is killed: the agent
    /// leaves no process behind.
    func run() async -> Outcome {
        let outcome = await runUntilExit()
        supervisor.terminateAll(.agentShutdown, gracePeriod: .zero)
        return outcome
    }

    private func runUntilExit() async -> Outcome {
        logger.info("agent starting", metadata: ["session_id": "\(sessionID)", "name": "\(configuration.name)"])
        var failures = 0
        var mustRegister = true
        while true {
            if let outcome = finalOutcomeBetweenStreams() { return outcome }
            if mustRegister {
                do {
                    try await register()
                    mustRegister = false
                } catch {
                    switch RPCFailure.ofRegistration(error) {
                    case .fatal(let reason):
                        logger.critical("cannot register", metadata: ["error": "\(reason)"])
                        return .fatal(reason)
                    case .registerAgain, .retry:
                        failures += 1
                        logger.warning("registration failed; retrying", metadata: ["error": "\(error)", "failures": "\(failures)"])
                        if await pause(afterFailures: failures, heartbeating: false) { mustRegister = true }
                        continue
                    }
                }
            }
            let attachedBefore = attachCount
            do {
                let end = try await withTaskExecutorPreference(streamExecutor) { try await runStream() }
                switch end {
                case .drained:
                    logger.info("every job finished and every report is acknowledged; exiting")
                    return state.withLock { $0.forcedDeadline != nil } ? .stopped(allReported: true) : .drained
                case .gaveUp:
                    return .stopped(allReported: false)
                case .serverClosed:
                    logger.warning("the server closed the job stream; reconnecting")
                }
            } catch {
                switch RPCFailure.ofStreamOrHeartbeat(error) {
                case .fatal(let reason):
                    logger.critical("job stream refused", metadata: ["error": "\(reason)"])
                    return .fatal(reason)
                case .registerAgain:
                    logger.warning("the server does not know this worker any more; registering again", metadata: ["error": "\(error)"])
                    mustRegister = true
                case .retry:
                    logger.warning("job stream lost; reconnecting", metadata: ["error": "\(error)"])
                }
            }
            // A stream that attached resets the backoff: the next wait starts from the base.
            failures = attachCount > attachedBefore ? 1 : failures + 1
            if await pause(afterFailures: failures, heartbeating: !mustRegister) { mustRegister = true }
        }
    }

    /// Starts a graceful drain because of SIGTERM: reject new jobs, finish the running ones,
    /// wait for every acknowledgement, close the stream, exit 0.
    func requestDrain(reason: String) {
        beginDrain(.local, reason: reason, deadline: nil)
    }

    /// A second SIGTERM/SIGINT: cancels the running jobs (SIGTERM to their groups, SIGKILL
    /// after the grace period) and exits once their results are acknowledged, or after the
    /// grace period plus `shutdownFlushTimeout` in any case. A third call exits at once.
    func forceStop() {
        let grace = settings.cancelGracePeriod
        let first = state.withLock { state -> Bool in
            if state.forcedDeadline != nil {
                state.forcedDeadline = .now
                return false
            }
            state.forcedDeadline = ContinuousClock.now.advanced(by: grace + configuration.shutdownFlushTimeout)
            return true
        }
        if first {
            logger.notice("stopping: cancelling running jobs", metadata: ["grace": "\(grace)"])
            beginDrain(.local, reason: "agent stopping", deadline: nil)
            supervisor.terminateAll(.agentShutdown, gracePeriod: grace)
        } else {
            logger.notice("stopping now")
        }
        wake.signal()
        interruptions.signal()
    }

    /// Enters the draining state once (a local drain overrides a server one) and queues the
    /// DrainNotice.
    func beginDrain(_ origin: DrainOrigin, reason: String, deadline: Duration?) {
        var notice = Hodei_V1_DrainNotice()
        notice.reason = reason
        let isNew = state.withLock { state -> Bool in
            guard state.drain == nil || (state.drain == .server && origin == .local) else { return false }
            let wasDraining = state.drain != nil
            // Queued before the state says "draining": the writer must never see a drain with
            // an idle supervisor and a settled outbox before the notice is in it.
            if !wasDraining { outbox.appendControl(.drain(notice)) }
            state.drain = origin
            return !wasDraining
        }
        supervisor.setDraining(origin)
        guard isNew else { return }
        logger.notice("draining", metadata: ["reason": "\(reason)", "origin": "\(origin)"])
        interruptions.signal()
        if let deadline, deadline > .zero {
            Task { [self] in
                try? await Task.sleep(for: deadline)
                logger.notice("drain deadline passed; cancelling the running jobs")
                supervisor.terminateAll(.cancelled(reason: "drain deadline passed"), gracePeriod: settings.cancelGracePeriod)
            }
        }
        wake.signal()
    }

    /// What a drain or stop still waits for.
    enum ShutdownStep: Equatable {
        case keepRunning
        /// Draining or stopping, no job left, everything acknowledged: close the stream.
        case closeStream
        /// Stopping, and the deadline for acknowledgements has passed.
        case giveUp
    }

    /// Whether a drain or stop is under way (the writer then watches for the outbox to settle).
    var isStopping: Bool { state.withLock { $0.drain != nil || $0.forcedDeadline != nil } }

    func shutdownStep() -> ShutdownStep {
        let (draining, deadline) = state.withLock { ($0.drain != nil, $0.forcedDeadline) }
        guard draining || deadline != nil else { return .keepRunning }
        if supervisor.isIdle && outbox.isSettled { return .closeStream }
        if let deadline, ContinuousClock.now >= deadline { return .giveUp }
        return .keepRunning
    }

    /// Checked before each registration or attach attempt, and while waiting between them.
    func finalOutcomeBetweenStreams() -> Outcome? {
        let (registered, draining) = state.withLock { ($0.workerId != nil, $0.drain != nil) }
        // Never registered: nothing was assigned, nothing to report.
        if draining && !registered && supervisor.isIdle { return .drained }
        if shutdownStep() == .giveUp { return .stopped(allReported: outbox.isSettled) }
        return nil
    }

    /// Successful attaches so far (an AttachAck received).
    var attachCount: Int { attaches.withLock { $0 } }
    let attaches = Mutex(0)
}
