import Synchronization

/// Resolves once the transaction holding one `JobStore.write(_:)` call has committed (or
/// failed). Any number of tasks may wait on it, or register a callback; waiting after
/// resolution returns at once.
public final class StoreWriteTicket: Sendable {
    public typealias Callback = @Sendable (Result<Void, StoreError>) -> Void

    private enum State {
        case pending(waiters: [CheckedContinuation<Void, any Error>], callbacks: [Callback])
        case done(Result<Void, StoreError>)
    }

    private let state = Mutex(State.pending(waiters: [], callbacks: []))

    public init() {}

    /// A ticket that is already resolved (nothing to write, or a failure known up front).
    public init(resolved result: Result<Void, StoreError>) {
        state.withLock { $0 = .done(result) }
    }

    /// Called once by the store when the transaction has committed or failed.
    public func resolve(_ result: Result<Void, StoreError>) {
        let (waiters, callbacks) = state.withLock { state -> ([CheckedContinuation<Void, any Error>], [Callback]) in
            guard case .pending(let waiters, let callbacks) = state else { return ([], []) }
            state = .done(result)
            return (waiters, callbacks)
        }
        for callback in callbacks { callback(result) }
        for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
    }

    /// Calls `callback` with the outcome once resolved: at once (on this thread) when it
    /// already is, otherwise on the thread that resolves it (the store's writer or its WAL
    /// sync thread), so it must be short and must not block. Costs no task, unlike awaiting `durable()`.
    public func whenResolved(_ callback: @escaping Callback) {
        let done: Result<Void, StoreError>? = state.withLock { state in
            switch state {
            case .pending(let waiters, var callbacks):
                callbacks.append(callback)
                state = .pending(waiters: waiters, callbacks: callbacks)
                return nil
            case .done(let result):
                return result
            }
        }
        if let done { callback(done) }
    }

    /// Whether the ticket has resolved (successfully or not).
    public var isResolved: Bool {
        state.withLock { if case .done = $0 { true } else { false } }
    }

    /// Waits until the write is durable; throws the `StoreError` if its transaction failed.
    public func durable() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, StoreError>? = state.withLock { state in
                switch state {
                case .pending(var waiters, let callbacks):
                    waiters.append(continuation)
                    state = .pending(waiters: waiters, callbacks: callbacks)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result.mapError { $0 as any Error }) }
        }
    }
}
