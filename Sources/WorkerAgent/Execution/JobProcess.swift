import Foundation
import Glibc
import JobAPI
import ProtoRuntime
import Synchronization

/// Settings of one job's run, from the server's WorkerSettings.
struct JobRunOptions: Sendable {
    /// LogEntry.line is at most this long; longer lines are split into `partial` pieces.
    var maxLogChunkBytes = 16 * 1024
    /// Time between SIGTERM and SIGKILL when the job's timeout fires.
    var timeoutGracePeriod: Duration = .seconds(10)
    /// After the job's main process exits (and the rest of its group is killed), how long to
    /// keep reading output that processes which left the group still hold open.
    var outputDrainTimeout: Duration = .seconds(5)
    /// How long a started job's acceptance may wait to travel with its first output or its
    /// result: a job shorter than this costs the agent's connection one wake-up instead of two.
    /// The server learns that a longer job runs this much later (JobAccepted carries the
    /// real start time).
    var acceptanceDelay: Duration = .milliseconds(5)
}

/// Why the agent stopped a job.
enum TerminationCause: Sendable, Equatable {
    /// A CancelJobRequest (or a drain deadline).
    case cancelled(reason: String)
    /// JobSpec.timeout passed.
    case timedOut(Duration)
    /// The server no longer assigns the attempt here; its result is not reported.
    case orphaned
    /// The agent is shutting down (second SIGTERM).
    case agentShutdown
}

/// One attempt of a job, run as a process.
///
/// Lifecycle:
///
///     init ──start()──► spawned ──pumpOutput()──► running ──leader exits──► draining output
///                                                    │                              │
///                                           terminate(cause, grace)          all pipes at EOF
///                                           SIGTERM to the group,                   │
///                                           SIGKILL after the grace                 ▼
///                                                                         finished: JobResult
///
/// The process leads its own process group; signals go to the whole group. When the leader
/// exits on its own, whatever is left of its group is SIGKILLed at once (no orphaned
/// grandchildren). One thread of its own (from ``OutputThreads``) reads stdout, stderr and the progress pipe with
/// poll(2) and hands log lines and progress to the sink, in order, possibly blocking there
/// (backpressure); the same thread reports the result once the leader has been reaped (by
/// ``ChildReaper``) and every pipe is at EOF. Timers (timeout, kill escalation) are tasks.
final class JobProcess: Sendable {
    let key: JobKey
    /// Resolves the spec on the thread that spawns (it reads the file system).
    private let resolvePlan: @Sendable () throws(LaunchPlan.InvalidSpec) -> LaunchPlan
    private let spawner: ProcessSpawner.Function
    private let timeout: Duration?
    private let options: JobRunOptions
    private let sink: any JobEventSink
    private let state = Mutex(State())

    private struct State {
        var pid: pid_t = 0
        var startedAt = Google_Protobuf_Timestamp()
        var startInstant = ContinuousClock.now
        var pipes: (stdout: PipeDescriptors, stderr: PipeDescriptors, progress: PipeDescriptors, wake: PipeDescriptors)?
        var exit: ProcessExit?
        var exitInstant: ContinuousClock.Instant?
        /// Set only when the agent signalled the job before it exited.
        var cause: TerminationCause?
        var result: Hodei_V1_JobResult?
        var resultWaiters: [CheckedContinuation<Hodei_V1_JobResult, Never>] = []
        var timers: [Task<Void, Never>] = []
    }

    /// - Parameters:
    ///   - plan: resolves the job's spec when the process is started; its failure is the
    ///     start's (``LaunchFailure/invalidSpec(_:)``).
    ///   - timeout: wall-clock limit from the start; nil for none.
    init(key: JobKey, plan: @escaping @Sendable () throws(LaunchPlan.InvalidSpec) -> LaunchPlan, timeout: Duration?,
         options: JobRunOptions, sink: any JobEventSink, spawner: @escaping ProcessSpawner.Function = ProcessSpawner.spawn) {
        self.key = key
        self.resolvePlan = plan
        self.spawner = spawner
        self.timeout = timeout
        self.options = options
        self.sink = sink
    }

    convenience init(key: JobKey, plan: LaunchPlan, timeout: Duration?, options: JobRunOptions, sink: any JobEventSink) {
        self.init(key: key, plan: { () throws(LaunchPlan.InvalidSpec) -> LaunchPlan in plan }, timeout: timeout, options: options, sink: sink)
    }

    /// The process id (also its process group id); 0 before `start()`.
    var pid: pid_t { state.withLock { $0.pid } }

    /// When the process was started (agent clock).
    var startedAt: Google_Protobuf_Timestamp { state.withLock { $0.startedAt } }

    /// Whether the main process has exited (the result may still be on its way).
    var hasExited: Bool { state.withLock { $0.exit != nil } }

    /// Spawns the process. Output is not read until ``pumpOutput()``, so the caller can report
    /// the acceptance first; meanwhile the job's writes wait in the pipes.
    ///
    /// - Throws: ``LaunchFailure`` when the spec cannot run here, or pipes or the process
    ///   cannot be created.
    func start() throws(LaunchFailure) {
        let plan: LaunchPlan
        let pipes: [PipeDescriptors]
        do throws(LaunchPlan.InvalidSpec) { plan = try resolvePlan() } catch { throw .invalidSpec(error) }
        do throws(ProcessSpawner.SpawnError) { pipes = try PipeDescriptors.make(count: 4) } catch { throw .spawn(error) }
        let (stdout, stderr, progress, wake) = (pipes[0], pipes[1], pipes[2], pipes[3])
        stdout.enlarge(to: 1 << 20)

        let descriptors = ProcessSpawner.ChildDescriptors(stdout: stdout.write, stderr: stderr.write, progress: progress.write)
        do {
            // The state is filled in under the reaper's lock, before the exit handler can run.
            _ = try ChildReaper.shared.spawn({ () throws(ProcessSpawner.SpawnError) -> pid_t in
                let pid = try spawner(plan, descriptors)
                let stopped = state.withLock { state in
                    state.pid = pid
                    state.startedAt = .now
                    state.startInstant = .now
                    state.pipes = (stdout, stderr, progress, wake)
                    return state.cause != nil
                }
                // Stopped while it was being spawned: it never ran anything worth a grace period.
                if stopped { kill(-pid, SIGKILL) }
                return pid
            }, onExit: { [self] exit in leaderExited(exit) })
        } catch {
            for pipe in pipes { pipe.closeBoth() }
            throw .spawn(error)
        }
        for pipe in [stdout, stderr, progress] { pipe.closeWrite() }
        if let timeout {
            let timer = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled, let self else { return }
                self.terminate(.timedOut(timeout), gracePeriod: self.options.timeoutGracePeriod)
            }
            state.withLock { $0.timers.append(timer) }
        }
    }

    /// Starts reading output on an output thread (once, after a successful `start()`).
    func pumpOutput() {
        OutputThreads.shared.run { [self] in pump() }
    }

    /// Spawns the process and then reads its output, both on an output thread of the job's
    /// own: posix_spawn blocks its caller until the child has exec'd, which takes as long as
    /// loading the binary (a cold or stalled network mount: seconds, or for ever), and
    /// only this job may wait for that. `started` runs on that thread: at once when the
    /// spawn failed; once it succeeded, before the job's first output or its result, and at
    /// the latest `acceptanceDelay` after the spawn.
    func launch(started: @escaping @Sendable (Result<Void, LaunchFailure>) -> Void) {
        OutputThreads.shared.run { [self] in
            do throws(LaunchFailure) {
                try start()
            } catch {
                started(.failure(error))
                return
            }
            pump(announce: { started(.success(())) })
        }
    }

    /// Reads the output until the end and reports the result (on the calling output thread).
    /// `announce` runs before the first output, the result, or `acceptanceDelay`, whichever
    /// comes first.
    private func pump(announce: (() -> Void)? = nil) {
        guard let pipes = state.withLock({ $0.pipes }) else { return }
        let pump = OutputPump(job: key, options: options, sink: sink)
        let drainedCleanly = pump.run(stdout: pipes.stdout.read, stderr: pipes.stderr.read, progress: pipes.progress.read,
                                      wake: pipes.wake.read, beforeFirstEvent: announce.map { (.now + options.acceptanceDelay, $0) }) { [self] in
            state.withLock { $0.exitInstant }
        }
        finish(pump: pump, drainedCleanly: drainedCleanly)
    }

    /// Stops the job: SIGTERM to its process group now (SIGKILL when `gracePeriod` is zero),
    /// SIGKILL to the group after `gracePeriod`. Does nothing once the main process has exited
    /// on its own; a second call can only shorten the grace to zero. Called while
    /// ``launch(started:)`` is still spawning, it records the cause and the process is
    /// SIGKILLed as soon as it exists.
    func terminate(_ cause: TerminationCause, gracePeriod: Duration) {
        let pid: pid_t? = state.withLock { state in
            guard state.exit == nil else { return nil }
            if state.cause != nil && gracePeriod > .zero { return nil }
            if state.cause == nil { state.cause = cause }
            // Not spawned yet (``launch(started:)`` is under way): the spawn kills it at once.
            return state.pid > 0 ? state.pid : nil
        }
        guard let pid else { return }
        if gracePeriod <= .zero {
            kill(-pid, SIGKILL)
            return
        }
        kill(-pid, SIGTERM)
        let escalation = Task { [weak self] in
            try? await Task.sleep(for: gracePeriod)
            guard !Task.isCancelled, let self else { return }
            // The leader may be gone while members of its group still run.
            if self.state.withLock({ $0.result == nil }) { kill(-pid, SIGKILL) }
        }
        state.withLock { $0.timers.append(escalation) }
    }

    /// The attempt's result, once the process has exited and its output has been read.
    func result() async -> Hodei_V1_JobResult {
        await withCheckedContinuation { continuation in
            let ready: Hodei_V1_JobResult? = state.withLock { state in
                if let result = state.result { return result }
                state.resultWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// On the reaper thread: records the exit, kills what is left of the group if the job
    /// ended on its own, and wakes the output thread.
    private func leaderExited(_ exit: ProcessExit) {
        let (pid, terminating, wake) = state.withLock { state in
            state.exit = exit
            state.exitInstant = .now
            return (state.pid, state.cause != nil, state.pipes?.wake.write ?? -1)
        }
        if !terminating && pid > 0 { kill(-pid, SIGKILL) }
        if wake >= 0 {
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
        }
    }

    /// On the output thread, after the pump returns: system notes, then the result.
    private func finish(pump: OutputPump, drainedCleanly: Bool) {
        // The leader has exited (the pump returns only then); read its record.
        let snapshot = state.withLock { state in
            (state.exit!, state.exitInstant!, state.cause, state.startedAt, state.startInstant, state.pipes!.wake)
        }
        let (exit, exitInstant, cause, startedAt, startInstant, wake) = snapshot
        wake.closeBoth()
        if !drainedCleanly {
            pump.emitSystem("output still open \(options.outputDrainTimeout) after the process exited (held by a process outside its group); stopped reading")
        }
        var result = Hodei_V1_JobResult()
        result.jobId = key.jobId
        result.attempt = key.attempt
        switch exit.termination {
        case .exited(let code): result.termination = .exitCode(code)
        case .signaled(let signal): result.termination = .signal(signal)
        }
        switch cause {
        case .timedOut(let limit):
            result.finalState = .timedOut
            result.errorMessage = "timed out after \(limit)"
            pump.emitSystem("killed after timeout of \(limit)")
        case .cancelled(let reason):
            result.finalState = .cancelled
            result.errorMessage = reason.isEmpty ? "cancelled" : "cancelled: \(reason)"
            pump.emitSystem(result.errorMessage)
        case .agentShutdown:
            result.finalState = .cancelled
            result.errorMessage = "cancelled: the agent is shutting down"
            pump.emitSystem(result.errorMessage)
        case .orphaned:
            result.finalState = .cancelled
            result.errorMessage = "killed: the server no longer assigns this attempt to this worker"
        case nil:
            switch exit.termination {
            case .exited(0): result.finalState = .succeeded
            case .exited: result.finalState = .failed
            case .signaled(let signal):
                result.finalState = .failed
                result.errorMessage = "killed by signal \(signal) (\(String(cString: strsignal(signal))))"
            }
        }
        result.duration = Google_Protobuf_Duration(startInstant.duration(to: exitInstant))
        result.cpuTime = Google_Protobuf_Duration(exit.cpuTime)
        result.peakMemoryBytes = exit.peakMemoryBytes
        result.startedAt = startedAt
        result.finishedAt = .now
        result.lastLogSequence = pump.lastLogSequence

        sink.jobFinished(result, of: key)
        let (waiters, timers) = state.withLock { state in
            state.result = result
            defer { state.resultWaiters = []; state.timers = [] }
            return (state.resultWaiters, state.timers)
        }
        for timer in timers { timer.cancel() }
        for waiter in waiters { waiter.resume(returning: result) }
    }
}
