/// Read connections on dedicated threads, sharing one queue of reads.
///
/// An async `read` appends a job to the queue and suspends; a free reader thread runs it with
/// its own connection (blocking in SQLite off the cooperative pool) and resumes the caller.
/// With WAL, readers run beside the writer and see only committed data.
///
/// Lifecycle: `close()` lets the threads finish what is queued, then each closes its
/// connection; reads arriving after `close()` fail with `.closed`.
final class ReaderPool: Sendable {
    private typealias Job = @Sendable (SQLiteConnection) -> Void

    private struct State {
        var queue: [Job] = []
        /// Index of the next job to run; the consumed prefix is dropped when it grows.
        var head = 0
        var stopping = false
        var liveThreads: Int
        var closeWaiters: [CheckedContinuation<Void, Never>] = []

        var hasWork: Bool { head < queue.count }
    }

    private let state: GuardedState<State>

    /// Takes ownership of the connections and starts one thread for each.
    init(connections: sending [SQLiteConnection]) {
        state = GuardedState(State(liveThreads: connections.count))
        for connection in connections {
            let owned = ConnectionTransfer(connection)
            DedicatedThread.start(name: "hodei-reader") { [self] in
                run(owned.take())
            }
        }
    }

    /// Runs `body` on a reader thread with that thread's connection.
    ///
    /// - Throws: what `body` throws, or `StoreError(.closed)` after `close()`.
    func read<Value: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> Value) async throws(StoreError) -> Value {
        let result: Result<Value, StoreError> = await withCheckedContinuation { continuation in
            let job: Job = { connection in
                do throws(StoreError) {
                    continuation.resume(returning: .success(try body(connection)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            let accepted = state.withLockBroadcasting { state -> Bool in
                guard !state.stopping else { return false }
                state.queue.append(job)
                return true
            }
            if !accepted { continuation.resume(returning: .failure(StoreError(.closed, "the store is closed"))) }
        }
        return try result.get()
    }

    /// Lets queued reads finish, then closes every connection; returns after.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLockBroadcasting { state -> Bool in
                state.stopping = true
                if state.liveThreads > 0 { state.closeWaiters.append(continuation) }
                return state.liveThreads == 0
            }
            if finished { continuation.resume() }
        }
    }

    /// Asks the threads to stop without waiting (the store's deinit).
    func stopWithoutWaiting() {
        state.withLockBroadcasting { $0.stopping = true }
    }

    private func run(_ connection: SQLiteConnection) {
        while true {
            let job = state.wait(until: { $0.hasWork || $0.stopping }) { state -> Job? in
                guard state.hasWork else { return nil }
                let job = state.queue[state.head]
                state.head += 1
                if state.head == state.queue.count {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head >= 1024 {
                    state.queue.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            guard let job else { break }
            job(connection)
        }
        connection.close()
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.liveThreads -= 1
            guard state.liveThreads == 0 else { return [] }
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
