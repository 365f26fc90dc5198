import JobAPI

/// The state machine of one worker (seed 004's eight states), pure: the coordinator feeds it
/// events and the current monotonic time; it answers with the new state.
///
///     Registering → Available ⇄ Running        (jobs placed / all done)
///     Available/Running → Unhealthy            (missed heartbeats, or its stream broke)
///     Unhealthy → Available/Running            (re-attached, or heartbeats resumed)
///     Unhealthy → Failed                       (grace period over: its jobs are rescheduled)
///     Available/Running/Unhealthy → Draining → Terminated (when its jobs are done and it left)
///
/// Creating is the agent's own state before it first calls the server.
struct WorkerLifecycle: Sendable, Hashable {
    private(set) var state: Hodei_V1_WorkerState
    /// When the worker was last heard from (any message, heartbeat or call).
    private(set) var lastSeen: ContinuousClock.Instant
    /// When it became unhealthy, for the grace period.
    private(set) var unhealthySince: ContinuousClock.Instant?

    init(state: Hodei_V1_WorkerState = .registering, now: ContinuousClock.Instant) {
        self.state = state
        self.lastSeen = now
    }

    /// Whether the scheduler may place new jobs on it.
    var acceptsJobs: Bool { state == .available || state == .running }

    /// Whether the worker is gone for good until it registers again.
    var isGone: Bool { state == .failed || state == .terminated }

    /// A (re-)registration: identity resumed, no stream yet.
    mutating func registered(now: ContinuousClock.Instant) {
        lastSeen = now
        if state == .failed || state == .terminated || state == .unspecified || state == .creating {
            state = .registering
        }
    }

    /// Its JobStream attached.
    mutating func attached(runningJobs: Int, now: ContinuousClock.Instant) {
        lastSeen = now
        unhealthySince = nil
        if state != .draining { state = runningJobs > 0 ? .running : .available }
    }

    /// Any sign of life: a heartbeat or a message on its stream.
    mutating func heard(runningJobs: Int, attached: Bool, now: ContinuousClock.Instant) {
        lastSeen = now
        if state == .unhealthy && attached {
            unhealthySince = nil
            state = runningJobs > 0 ? .running : .available
        }
    }

    /// The number of jobs on it changed.
    mutating func jobsChanged(runningJobs: Int) {
        switch state {
        case .available where runningJobs > 0: state = .running
        case .running where runningJobs == 0: state = .available
        default: break
        }
    }

    /// Its stream ended. A draining worker with nothing left terminates; otherwise it is
    /// unhealthy until it comes back.
    mutating func streamClosed(runningJobs: Int, now: ContinuousClock.Instant) {
        if state == .draining {
            if runningJobs == 0 { state = .terminated }
            return
        }
        if state == .available || state == .running || state == .registering {
            state = .unhealthy
            unhealthySince = now
        }
    }

    /// A drain was asked (by the agent or an operator).
    mutating func drain(runningJobs: Int, attached: Bool) {
        guard !isGone else { return }
        state = (runningJobs == 0 && !attached) ? .terminated : .draining
    }

    /// Checks the clocks. Returns true when the worker has just become FAILED (its jobs must
    /// be rescheduled).
    mutating func tick(now: ContinuousClock.Instant, heartbeatTimeout: Duration, failureGrace: Duration) -> Bool {
        switch state {
        case .available, .running, .registering:
            if now - lastSeen > heartbeatTimeout {
                state = .unhealthy
                unhealthySince = now
            }
            return false
        case .unhealthy:
            // Failed once the heartbeat timeout and the grace period have both passed since
            // the worker was last heard from.
            if now - lastSeen > heartbeatTimeout + failureGrace {
                state = .failed
                return true
            }
            return false
        case .draining:
            // A draining worker that went silent is treated like any other lost worker.
            if now - lastSeen > heartbeatTimeout + failureGrace {
                state = .failed
                return true
            }
            return false
        default:
            return false
        }
    }

    /// Loaded from the store at startup: whatever it was, it is not attached now, so it is
    /// unhealthy (or still gone) and gets the usual window to come back.
    static func restored(stored: Hodei_V1_WorkerState, now: ContinuousClock.Instant) -> WorkerLifecycle {
        var lifecycle = WorkerLifecycle(state: stored, now: now)
        switch stored {
        case .failed, .terminated: break
        default:
            lifecycle.state = .unhealthy
            lifecycle.unhealthySince = now
        }
        return lifecycle
    }
}
