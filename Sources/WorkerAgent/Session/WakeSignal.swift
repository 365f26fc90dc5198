import Synchronization

/// Wakes the one task waiting on it, from any thread. A signal that arrives while nobody
/// waits is remembered (once), so a waiter never misses a change it did not see yet.
///
/// Meant for a single waiter; a second concurrent waiter resumes the first (a spurious
/// wakeup, which callers tolerate by re-checking their condition).
///
/// Deadlines share one timer task: a wait arms a timer only when none is armed at or before
/// its deadline. The stream writer waits once or twice per job, each time with a deadline
/// about a second away, so it arms about one timer a second instead of one (with a task
/// group and two child tasks) per wait.
final class WakeSignal: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, Never>
        let deadline: ContinuousClock.Instant
    }

    private struct State {
        var signalled = false
        var waiter: Waiter?
        var lastID: UInt64 = 0
        /// The earliest deadline a timer task is sleeping until, if any.
        var armedTimer: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    init() {}

    func signal() {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume()
    }

    /// Returns at the next signal (at once if one came since the last wait), at `deadline`,
    /// or when the task is cancelled.
    func wait(until deadline: ContinuousClock.Instant) async {
        let (alreadySignalled, id) = state.withLock { state in
            defer { state.signalled = false }
            state.lastID &+= 1
            return (state.signalled, state.lastID)
        }
        if alreadySignalled || deadline <= .now { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (resumeNow, displaced, arm) = state.withLock { state -> (Bool, Waiter?, Bool) in
                    if state.signalled || Task.isCancelled {
                        state.signalled = false
                        return (true, nil, false)
                    }
                    let displaced = state.waiter
                    state.waiter = Waiter(id: id, continuation: continuation, deadline: deadline)
                    let arm = state.armedTimer.map { $0 > deadline } ?? true
                    if arm { state.armedTimer = deadline }
                    return (false, displaced, arm)
                }
                displaced?.continuation.resume()
                if resumeNow { continuation.resume() }
                if arm { armTimer(until: deadline) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter
            }
            waiter?.continuation.resume()
        }
    }

    private func armTimer(until deadline: ContinuousClock.Instant) {
        Task { [self] in
            try? await Task.sleep(until: deadline)
            timerFired(armedFor: deadline)
        }
    }

    /// Resumes the waiter whose deadline has passed; re-arms for a waiter whose deadline is
    /// later than this timer's.
    private func timerFired(armedFor deadline: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        let (expired, rearm) = state.withLock { state -> (Waiter?, ContinuousClock.Instant?) in
            if state.armedTimer == deadline { state.armedTimer = nil }
            guard let waiter = state.waiter else { return (nil, nil) }
            if waiter.deadline <= now {
                state.waiter = nil
                return (waiter, nil)
            }
            guard state.armedTimer == nil else { return (nil, nil) }
            state.armedTimer = waiter.deadline
            return (nil, waiter.deadline)
        }
        expired?.continuation.resume()
        if let rearm { armTimer(until: rearm) }
    }
}
