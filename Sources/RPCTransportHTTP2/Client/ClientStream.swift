import NIOCore
import RPCCore

/// One call on a client connection. Confined to the connection's event loop.
final class ClientStream {
    var id: Int32 = 0
    var deframer: GRPCMessageDeframer
    let responses: AsyncThrowingStream<[UInt8], any Error>.Continuation
    /// The header block being received (response headers, then trailers).
    var headerBlock: [(String, String)] = []
    var initialMetadata: Metadata?
    var headerWaiters: [CheckedContinuation<Metadata, any Error>] = []
    var outcome: (Status, Metadata)?
    var outcomeWaiters: [CheckedContinuation<(Status, Metadata), Never>] = []
    var deadlineTimer: Scheduled<Void>?

    // Request side.
    /// Framed messages not yet taken by nghttp2.
    var outbound = OutboundMessageQueue()
    var requestsFinished = false
    /// Requests declared `grpc-encoding: gzip`, so messages may be sent compressed.
    var compressRequests = false
    /// The response declared `grpc-encoding: gzip`.
    var responseIsGzip = false
    var isDeferred = false
    /// Messages the caller sent, not yet moved into `outbound` (see ``ClientSendQueue``).
    let sendQueue: ClientSendQueue

    init(maxMessageSize: Int, highWaterMark: Int, responses: AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
        self.sendQueue = ClientSendQueue(highWaterMark: highWaterMark)
        self.responses = responses
    }


    /// Ends the call once: settles the response stream and everyone waiting.
    func complete(_ status: Status, _ trailers: Metadata) {
        guard outcome == nil else { return }
        outcome = (status, trailers)
        deadlineTimer?.cancel()
        if status.code == .ok {
            responses.finish()
        } else {
            responses.finish(throwing: RPCError(code: status.code, message: status.message, metadata: trailers))
        }
        let headers = initialMetadata ?? Metadata()
        for waiter in headerWaiters {
            if initialMetadata == nil && status.code != .ok {
                waiter.resume(throwing: RPCError(code: status.code, message: status.message, metadata: trailers))
            } else {
                waiter.resume(returning: headers)
            }
        }
        headerWaiters.removeAll()
        for waiter in outcomeWaiters { waiter.resume(returning: (status, trailers)) }
        outcomeWaiters.removeAll()
        sendQueue.end(RPCError(code: status.code == .ok ? .cancelled : status.code, message: "the call has ended"))
    }
}
