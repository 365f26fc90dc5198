#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex, with a condition variable to wait on changes.
///
/// Used by the store's own threads (writer, readers), which block while waiting: never call
/// `wait(until:)` from a Swift concurrency task. `withLock` only holds the mutex briefly and
/// is safe anywhere.
final class GuardedState<State>: @unchecked Sendable {
    // Heap-allocated so that the mutex and condition never move (pthread requires it).
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    // Accessed only with `mutex` held: that is what makes the unchecked Sendable sound.
    private var state: State

    init(_ initial: State) {
        state = initial
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        precondition(pthread_cond_init(condition, nil) == 0, "pthread_cond_init failed")
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the mutex held.
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Runs `body` with the mutex held, then wakes every waiter.
    func withLockBroadcasting<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Blocks the calling thread until `ready` holds, then runs `body` with the mutex held;
    /// with `broadcasting`, wakes every waiter afterwards (`body` changed what they wait for).
    /// Only for the store's dedicated threads.
    func wait<Result>(
        until ready: (State) -> Bool, broadcasting: Bool = false, then body: (inout State) throws -> Result
    ) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer {
            if broadcasting { pthread_cond_broadcast(condition) }
            pthread_mutex_unlock(mutex)
        }
        while !ready(state) { pthread_cond_wait(condition, mutex) }
        return try body(&state)
    }
}
