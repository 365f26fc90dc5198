import RPCCore
import Synchronization

/// Request messages of one client call on their way from the caller's task to the loop.
///
/// `send` does not hop onto the event loop: it queues the message here and, if no drain is
/// pending, asks for one loop task. Messages sent back to back therefore reach nghttp2 (and
/// the socket) together, in one flush, and the caller only waits for the loop when the
/// call holds more than the high-water mark (flow control).
final class ClientSendQueue: Sendable {
    private struct State {
        var messages: [(bytes: [UInt8], compress: Bool?)] = []
        var queuedBytes = 0
        /// Bytes the loop holds for nghttp2 (framed), as of its last report.
        var outboundBytes = 0
        var drainPending = false
        var finishRequested = false
        /// Set when the call has ended: sends fail with it.
        var endError: RPCError?
        var waiters: [UnsafeContinuation<Void, any Error>] = []

        var pendingBytes: Int { queuedBytes + outboundBytes }
    }

    private let state = Mutex(State())
    let highWaterMark: Int

    init(highWaterMark: Int) {
        self.highWaterMark = highWaterMark
    }

    /// What a sender must do after queueing.
    struct Admission {
        /// Schedule a loop task that calls `takeAll`.
        var scheduleDrain: Bool
        /// Wait (`waitForRoom`) before returning to the caller.
        var mustWait: Bool
    }

    // MARK: Caller side

    func enqueue(_ message: [UInt8], compress: Bool?) throws(RPCError) -> Admission {
        try state.withLock { state throws(RPCError) -> Admission in
            if let error = state.endError { throw error }
            guard !state.finishRequested else { throw RPCError(code: .internal, message: "send after finish") }
            state.messages.append((message, compress))
            state.queuedBytes += message.count + 5
            defer { state.drainPending = true }
            return Admission(scheduleDrain: !state.drainPending, mustWait: state.pendingBytes > highWaterMark)
        }
    }

    /// Half-closes after the queued messages; true when a drain must be scheduled.
    func requestFinish() -> Bool {
        state.withLock { state in
            guard state.endError == nil, !state.finishRequested else { return false }
            state.finishRequested = true
            defer { state.drainPending = true }
            return !state.drainPending
        }
    }

    /// Suspends until the call holds at most half the high-water mark (or has ended).
    func waitForRoom() async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let outcome = state.withLock { state -> Result<Void, any Error>? in
                if let error = state.endError { return .failure(error) }
                if state.pendingBytes <= highWaterMark / 2 { return .success(()) }
                state.waiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    // MARK: Loop side

    /// Everything queued since the last drain, and whether the caller half-closed.
    func takeAll() -> (messages: [(bytes: [UInt8], compress: Bool?)], finish: Bool) {
        state.withLock { state in
            state.drainPending = false
            state.queuedBytes = 0
            var messages: [(bytes: [UInt8], compress: Bool?)] = []
            swap(&messages, &state.messages)
            return (messages, state.finishRequested)
        }
    }

    /// The loop's queue for nghttp2 now holds `bytes`; wakes waiters once there is room.
    func noteOutbound(_ bytes: Int) {
        let ready = state.withLock { state -> [UnsafeContinuation<Void, any Error>] in
            state.outboundBytes = bytes
            guard !state.waiters.isEmpty, state.pendingBytes <= highWaterMark / 2 else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in ready { waiter.resume() }
    }

    /// The call ended: queued messages are dropped, waiting and later sends fail with `error`.
    func end(_ error: RPCError) {
        let waiters = state.withLock { state -> [UnsafeContinuation<Void, any Error>] in
            guard state.endError == nil else { return [] }
            state.endError = error
            state.messages.removeAll()
            state.queuedBytes = 0
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}
