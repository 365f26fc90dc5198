import Synchronization

/// The request messages of one server call, handed from the transport to the handler.
///
/// A small non-generic queue in place of `AsyncThrowingStream` (whose generic metadata
/// lookups, storage objects and cancellation records cost more than the rest of a unary
/// call): a message already queued is returned without suspending; only an empty queue
/// suspends, once, until the transport yields, finishes, or the task is cancelled.
/// One consumer at a time. The HTTP/2 client uses it for a call's responses as well.
///
/// Flow control: a transport that gives a peer window back only once the consumer has a
/// message yields each with its `flowControlledBytes` and sets `onTake`; the hook is called
/// (outside the lock, on the consumer's task) with those bytes whenever the consumer takes a
/// message that had to wait in the queue. A message handed straight to a waiting consumer
/// is reported by `yield` returning false instead.
public final class RPCRequestSource: Sendable {
    private struct State {
        var messages: [(message: RPCReceivedMessage, bytes: Int)] = []
        var head = 0
        /// Set once the transport has no more messages: nil = ended normally.
        var ended = false
        var failure: (any Error)?
        var waiter: UnsafeContinuation<RPCReceivedMessage?, any Error>?
        var cancelled = false
        var onTake: (@Sendable (Int) -> Void)?

        /// The next message, the end, or nil when the caller has to wait; with a queued
        /// message, its flow-controlled bytes (0: none to report).
        mutating func poll() -> (Result<RPCReceivedMessage?, any Error>, taken: Int)? {
            if head < messages.count {
                let (message, bytes) = messages[head]
                head += 1
                if head == messages.count {
                    messages.removeAll(keepingCapacity: true)
                    head = 0
                }
                return (.success(message), bytes)
            }
            if let failure { return (.failure(failure), 0) }
            if ended { return (.success(nil), 0) }
            if cancelled { return (.failure(CancellationError()), 0) }
            return nil
        }

        /// The hook to call for a message taken from the queue, if any.
        func hook(for taken: Int) -> (@Sendable (Int) -> Void)? {
            taken > 0 ? onTake : nil
        }
    }

    private let state: Mutex<State>

    /// An open source: the transport yields messages and then finishes.
    public init() {
        state = Mutex(State())
    }

    /// A source that already holds every message (a unary request, read to its end).
    public init(finishedWith messages: [RPCReceivedMessage]) {
        state = Mutex(State(messages: messages.map { ($0, 0) }, ended: true))
    }

    // MARK: Transport side

    /// Called with a message's `flowControlledBytes` when the consumer takes it from the
    /// queue; nil stops the calls (and drops what the hook holds).
    public func onTake(_ hook: (@Sendable (Int) -> Void)?) {
        state.withLock { $0.onTake = hook }
    }

    /// Queues `message`, or hands it to the consumer waiting for it.
    ///
    /// - Returns: true when the message waits in the queue, so `onTake` will report its
    ///   `flowControlledBytes`; false when the consumer already has it or the source has
    ///   ended (the message is dropped).
    @discardableResult
    public func yield(_ message: RPCReceivedMessage, flowControlledBytes: Int = 0) -> Bool {
        let waiter = state.withLock { state -> UnsafeContinuation<RPCReceivedMessage?, any Error>?? in
            guard !state.ended else { return .some(nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append((message, flowControlledBytes))
            return nil
        }
        guard let waiter else { return true }
        waiter?.resume(returning: message)
        return false
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

    /// Whether a consumer is suspended in `next()` (tests, diagnostics).
    public var hasWaiter: Bool {
        state.withLock { $0.waiter != nil }
    }

    // MARK: Handler side

    /// The next message; nil after the client half-closed. Throws the call's failure, or
    /// `CancellationError` when the waiting task is cancelled.
    public func next() async throws -> RPCReceivedMessage? {
        if let (ready, hook, taken) = state.withLock({ state in state.poll().map { ($0.0, state.hook(for: $0.taken), $0.taken) } }) {
            hook?(taken)
            return try ready.get()
        }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<RPCReceivedMessage?, any Error>) in
                let ready = state.withLock { state -> (Result<RPCReceivedMessage?, any Error>, (@Sendable (Int) -> Void)?, Int)? in
                    if let (ready, taken) = state.poll() { return (ready, state.hook(for: taken), taken) }
                    precondition(state.waiter == nil, "a request stream has one consumer at a time")
                    state.waiter = continuation
                    return nil
                }
                if let (ready, hook, taken) = ready {
                    hook?(taken)
                    continuation.resume(with: ready)
                }
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
