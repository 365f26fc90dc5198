import Synchronization

/// Resolves once the transaction holding one `JobStore.write(_:)` call has committed (or
/// failed). Any number of tasks may wait on it; waiting after resolution returns at once.
public final class StoreWriteTicket: Sendable {
    private enum State {
        case pending([CheckedContinuation<Void, any Error>])
        case done(Result<Void, StoreError>)
    }

    private let state = Mutex(State.pending([]))

    public init() {}

    /// A ticket that is already resolved (nothing to write, or a failure known up front).
    public init(resolved result: Result<Void, StoreError>) {
        state.withLock { $0 = .done(result) }
    }

    /// Called once by the store when the transaction has committed or failed.
    public func resolve(_ result: Result<Void, StoreError>) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            guard case .pending(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
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
                case .pending(var waiters):
                    waiters.append(continuation)
                    state = .pending(waiters)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result.mapError { $0 as any Error }) }
        }
    }
}
