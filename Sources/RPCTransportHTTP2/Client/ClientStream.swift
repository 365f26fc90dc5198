import NIOCore
import RPCCore

/// One call on a client connection. Confined to the connection's event loop.
final class ClientStream {
    @exclusivity(unchecked) var id: Int32 = 0
    @exclusivity(unchecked) var deframer: GRPCMessageDeframer
    /// The response messages, read by the caller through `RPCClientCall.responses`.
    let responses = RPCRequestSource()
    /// When received DATA goes back to the server as window (see ``InboundWindow``).
    @exclusivity(unchecked) var window = InboundWindow()
    /// The server ended its side (END_STREAM): window goes back on the connection only.
    @exclusivity(unchecked) var inboundEnded = false
    /// The header block being received (response headers, then trailers).
    @exclusivity(unchecked) var headerBlock: [(String, String)] = []
    @exclusivity(unchecked) var initialMetadata: Metadata?
    @exclusivity(unchecked) var headerWaiters: [CheckedContinuation<Metadata, any Error>] = []
    @exclusivity(unchecked) var outcome: (Status, Metadata)?
    @exclusivity(unchecked) var outcomeWaiters: [CheckedContinuation<(Status, Metadata), Never>] = []
    @exclusivity(unchecked) var deadlineTimer: Scheduled<Void>?

    // Request side.
    /// Framed messages not yet taken by nghttp2.
    @exclusivity(unchecked) var outbound = OutboundMessageQueue()
    @exclusivity(unchecked) var requestsFinished = false
    /// Requests declared `grpc-encoding: gzip`, so messages may be sent compressed.
    @exclusivity(unchecked) var compressRequests = false
    /// The response declared `grpc-encoding: gzip`.
    @exclusivity(unchecked) var responseIsGzip = false
    @exclusivity(unchecked) var isDeferred = false
    /// Messages the caller sent, not yet moved into `outbound` (see ``ClientSendQueue``).
    let sendQueue: ClientSendQueue

    init(maxMessageSize: Int, highWaterMark: Int) {
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
        self.sendQueue = ClientSendQueue(highWaterMark: highWaterMark)
    }

    /// Ends the call once: settles the response stream and everyone waiting.
    func complete(_ status: Status, _ trailers: Metadata) {
        guard outcome == nil else { return }
        outcome = (status, trailers)
        deadlineTimer?.cancel()
        // No more window to give back (the connection released it); this also breaks the
        // cycle stream -> responses -> hook -> binding -> stream.
        responses.onTake(nil)
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
