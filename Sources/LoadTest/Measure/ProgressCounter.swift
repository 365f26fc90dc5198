import Synchronization

/// A count that tasks can wait on ("until 10,000 workers have attached"), remembering when
/// it last went up.
final class ProgressCounter: Sendable {
    private struct State {
        var value = 0
        var lastAt: UInt64 = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    func increment() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.value += 1
            state.lastAt = MonotonicTime.now()
            let value = state.value
            var ready: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.target <= value else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    var value: Int { state.withLock { $0.value } }
    /// MonotonicTime of the last increment (0 if none).
    var lastAt: UInt64 { state.withLock { $0.lastAt } }

    /// Waits until the count reaches `target`, at most `timeout`; true if it did.
    func wait(forAtLeast target: Int, timeout: Duration) async -> Bool {
        let reached = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let done = self.state.withLock { state -> Bool in
                        if state.value >= target { return true }
                        state.waiters.append((target, continuation))
                        return false
                    }
                    if done { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                let stranded = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    let mine = state.waiters.filter { $0.target == target }.map(\.continuation)
                    state.waiters.removeAll { $0.target == target }
                    return mine
                }
                for waiter in stranded { waiter.resume() }
            }
            group.cancelAll()
            return first
        }
        return reached && value >= target
    }
}
