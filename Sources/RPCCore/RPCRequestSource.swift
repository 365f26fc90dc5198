import Synchronization

/// The request messages of one server call, handed from the transport to the handler.
///
/// A small non-generic queue in place of `AsyncThrowingStream` (whose generic metadata
/// lookups, storage objects and cancellation records cost more than the rest of a unary
/// call): a message already queued is returned without suspending; only an empty queue
/// suspends, once, until the transport yields, finishes, or the task is cancelled.
/// One consumer at a time.
public final class RPCRequestSource: Sendable {
    private struct State {
        var messages: [RPCReceivedMessage] = []
        var head = 0
        /// Set once the transport has no more messages: nil = ended normally.
        var ended = false
        var failure: (any Error)?
        var waiter: UnsafeContinuation<RPCReceivedMessage?, any Error>?
        var cancelled = false

        /// The next message, the end, or nil when the caller has to wait.
        mutating func poll() -> Result<RPCReceivedMessage?, any Error>? {
            if head < messages.count {
                let message = messages[head]
                head += 1
                if head == messages.count {
                    messages.removeAll(keepingCapacity: true)
                    head = 0
                }
                return .success(message)
            }
            if let failure { return .failure(failure) }
            if ended { return .success(nil) }
            if cancelled { return .failure(CancellationError()) }
            return nil
        }
    }

    private let state: Mutex<State>

    /// An open source: the transport yields messages and then finishes.
    public init() {
        state = Mutex(State())
    }

    /// A source that already holds every message (a unary request, read to its end).
    public init(finishedWith messages: [RPCReceivedMessage]) {
        state = Mutex(State(messages: messages, ended: true))
    }

    // MARK: Transport side

    public func yield(_ message: RPCReceivedMessage) {
        let waiter = state.withLock { state -> UnsafeContinuation<RPCReceivedMessage?, any Error>? in
            guard !state.ended else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            return nil
        }
        waiter?.resume(returning: message)
    }

    /// No more messages: the consumer gets the queued ones, then nil.
    public func finish() {
        end(nil)
    }

    /// The call failed: the consumer gets the queued messages, then `error`.
    public func finish(throwing error: any Error) {
        end(error)
    }

    private func end(_ error: (any Error)?) {
        let waiter = state.withLock { state -> UnsafeContinuation<RPCReceivedMessage?, any Error>? in
            guard !state.ended else { return nil }
            state.ended = true
            state.failure = error
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    // MARK: Handler side

    /// The next message; nil after the client half-closed. Throws the call's failure, or
    /// `CancellationError` when the waiting task is cancelled.
    public func next() async throws -> RPCReceivedMessage? {
        if let ready = state.withLock({ $0.poll() }) { return try ready.get() }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<RPCReceivedMessage?, any Error>) in
                let ready = state.withLock { state -> Result<RPCReceivedMessage?, any Error>? in
                    if let ready = state.poll() { return ready }
                    precondition(state.waiter == nil, "a request stream has one consumer at a time")
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> UnsafeContinuation<RPCReceivedMessage?, any Error>? in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
