import NIOCore
import RPCCore

/// One gRPC call on a server connection: the request as it arrives, the response as the
/// handler produces it. Confined to the connection's event loop.
/// The trailers of a call: the common OK block, or fields built for this call.
enum ResponseTrailers {
    case ok
    case fields([(String, String)])
}

/// What is needed to start a call's handler once its request is complete.
struct PendingHandler {
    let method: RPCServerMethodRef
    let metadata: Metadata
    let deadline: ContinuousClock.Instant?
    let binding: NIOLoopBound<CallBinding>
}

/// The request of a call whose handler takes it whole (`RPCServerMethod.unary`), kept on the
/// stream instead of going through an `RPCRequestSource`.
struct WholeRequest {
    var first: RPCReceivedMessage?
    var count = 0

    mutating func add(_ message: RPCReceivedMessage) {
        if first == nil { first = message }
        count += 1
    }
}

final class ServerStream {
    let id: Int32
    @exclusivity(unchecked) var deframer: GRPCMessageDeframer
    /// Feeds the handler's `RPCRequestStream`; nil once finished.
    @exclusivity(unchecked) var requests: RPCRequestSource?
    /// Collects the request for a unary handler instead of `requests`; nil once complete.
    @exclusivity(unchecked) var wholeRequest: WholeRequest?
    /// A unary or server-streaming handler waiting for its complete request.
    @exclusivity(unchecked) var pendingHandler: PendingHandler?
    /// The call was routed (headers validated); later header blocks are trailers.
    @exclusivity(unchecked) var callStarted = false
    /// The request declared `grpc-encoding: gzip`: messages flagged compressed are gzip.
    @exclusivity(unchecked) var requestIsGzip = false
    /// The client listed gzip in `grpc-accept-encoding`: responses may be compressed.
    @exclusivity(unchecked) var clientAcceptsGzip = false
    @exclusivity(unchecked) var handlerTask: Task<Void, Never>?
    /// When received DATA goes back to the client as window (see ``InboundWindow``).
    @exclusivity(unchecked) var window = InboundWindow()
    /// The client ended its side (END_STREAM): window goes back on the connection only.
    @exclusivity(unchecked) var inboundEnded = false

    // Response side.
    @exclusivity(unchecked) var responseHeadersSent = false
    @exclusivity(unchecked) var initialMetadata = Metadata()
    /// Framed messages not yet taken by nghttp2.
    @exclusivity(unchecked) var outbound = OutboundMessageQueue()
    /// Set when the handler finished: the trailers to send after the body.
    @exclusivity(unchecked) var trailers: ResponseTrailers?
    /// nghttp2 is waiting for `resumeData` on this stream.
    @exclusivity(unchecked) var isDeferred = false
    /// Writers suspended because `outbound` is over the high-water mark.
    @exclusivity(unchecked) var blockedWriters: [CheckedContinuation<Void, any Error>] = []
    @exclusivity(unchecked) var isClosed = false
    /// The call's outcome is decided (handler returned or deadline passed).
    @exclusivity(unchecked) var isFinished = false
    @exclusivity(unchecked) var deadlineTimer: Scheduled<Void>?

    init(id: Int32, maxMessageSize: Int) {
        self.id = id
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
    }

    /// Whether request messages are still taken (the request is open and the call goes on).
    var acceptsRequestMessages: Bool { requests != nil || wholeRequest != nil }

    /// Hands a request message of `size` bytes on the wire to the handler (or keeps it for a
    /// unary one); true when it waits in the handler's queue, which reports when it is taken.
    func deliver(_ message: RPCReceivedMessage, size: Int) -> Bool {
        if let requests { return requests.yield(message, flowControlledBytes: size) }
        wholeRequest?.add(message)
        return false
    }

    /// Takes no more request messages: a streaming handler gets `error` (or the end).
    func endRequests(throwing error: any Error) {
        requests?.finish(throwing: error)
        requests = nil
        wholeRequest = nil
    }

    /// Wakes writers once the queue is below the low-water mark (or fails them on close).
    func releaseWriters(error: (any Error)? = nil) {
        guard !blockedWriters.isEmpty else { return }
        let writers = blockedWriters
        blockedWriters.removeAll()
        for writer in writers {
            if let error { writer.resume(throwing: error) } else { writer.resume() }
        }
    }
}
