/// The stop handshake of one of the store's dedicated threads, kept inside the thread's
/// guarded state so that its wait sees `stopping` together with its work: `close()` asks the
/// thread to stop and waits until it has closed its connection.
struct ThreadStopState {
    var stopping = false
    private var finished = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Asks to stop; true when the thread already finished (resume `continuation` now),
    /// otherwise it is resumed by the thread's `finish`.
    mutating func stop(resuming continuation: CheckedContinuation<Void, Never>) -> Bool {
        stopping = true
        if !finished { waiters.append(continuation) }
        return finished
    }

    /// The thread is done: the `close()` callers to resume (outside the lock).
    mutating func finish() -> [CheckedContinuation<Void, Never>] {
        finished = true
        defer { waiters = [] }
        return waiters
    }
}

/// A thread's state that carries a stop handshake.
protocol StoppableThreadState {
    var stop: ThreadStopState { get set }
}

extension GuardedState where State: StoppableThreadState {
    /// Asks the thread to stop and waits until it has finished.
    func stopAndWait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if withLockBroadcasting({ $0.stop.stop(resuming: continuation) }) { continuation.resume() }
        }
    }

    /// Asks the thread to stop without waiting (a store's deinit).
    func requestStop() {
        withLockBroadcasting { $0.stop.stopping = true }
    }

    /// Called by the thread last: resumes the `stopAndWait` callers.
    func finishStopping() {
        for waiter in withLock({ $0.stop.finish() }) { waiter.resume() }
    }
}
