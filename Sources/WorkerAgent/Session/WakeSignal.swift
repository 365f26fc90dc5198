import Synchronization

/// Wakes the one task waiting on it, from any thread. A signal that arrives while nobody
/// waits is remembered (once), so a waiter never misses a change it did not see yet.
///
/// Meant for a single waiter; a second concurrent waiter resumes the first (a spurious
/// wakeup, which callers tolerate by re-checking their condition).
final class WakeSignal: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
        var waiterID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one came since the last wait), at `deadline`,
    /// or when the task is cancelled.
    func wait(until deadline: ContinuousClock.Instant) async {
        let alreadySignalled = state.withLock { state in
            defer { state.signalled = false }
            return state.signalled
        }
        if alreadySignalled || deadline <= .now { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask { try? await Task.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        let id = state.withLock { state in
            state.waiterID &+= 1
            return state.waiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (resumeNow, displaced) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                    if state.signalled || Task.isCancelled {
                        state.signalled = false
                        return (true, nil)
                    }
                    let displaced = state.waiter
                    state.waiter = continuation
                    state.waiterID = id
                    return (false, displaced)
                }
                displaced?.resume()
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard state.waiterID == id, let waiter = state.waiter else { return nil }
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }
    }
}
