import CNGHTTP2
import NIOConcurrencyHelpers
import NIOCore
import RPCCore

/// One HTTP/2 connection to a gRPC server, driving a client ``NGHTTP2Session``.
/// Everything here runs on the channel's event loop.
final class GRPCClientConnectionHandler: ChannelInboundHandler, NGHTTP2SessionDelegate {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let configuration: GRPCClientConfiguration
    let authority: String
    let scheme: String
    @exclusivity(unchecked) var session: NGHTTP2Session?
    @exclusivity(unchecked) var streams: [Int32: ClientStream] = [:]
    @exclusivity(unchecked) var context: ChannelHandlerContext?
    @exclusivity(unchecked) private var isReading = false
    @exclusivity(unchecked) private var flushScheduled = false
    /// Set when the connection can take no more calls.
    @exclusivity(unchecked) var isClosed = false
    /// Close once the current output is written (after a GOAWAY, when the last call ended).
    @exclusivity(unchecked) var closeAfterFlush = false
    /// The same, readable from any thread: the client then opens a new connection.
    let draining = NIOLockedValueBox(false)
    /// Nil when keepalive is off (see `GRPCClientConnectionHandler+Keepalive`).
    @exclusivity(unchecked) var keepalive: KeepaliveState?
    /// When the connection last read something (stamped only when keepalive is on).
    @exclusivity(unchecked) var lastActivity = NIODeadline.now()
    @exclusivity(unchecked) var keepaliveTimer: Scheduled<Void>?

    init(configuration: GRPCClientConfiguration, authority: String, scheme: String) {
        self.configuration = configuration
        self.authority = authority
        self.scheme = scheme
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let session = NGHTTP2Session(
            role: .client,
            delegate: self,
            settings: [
                (Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), 0),
                (Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), UInt32(configuration.initialStreamWindow)),
                (Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), UInt32(configuration.maxHeaderListSize)),
            ],
            connectionWindow: Int32(configuration.connectionWindow)
        )
        self.session = session
        if context.channel.isActive {
            flush()
            startKeepalive()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        startKeepalive()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let session else { return }
        isReading = true
        do {
            try buffer.withUnsafeReadableBytes { try session.receive($0) }
        } catch {
            isReading = false
            failAll(Status(code: .unavailable, message: "HTTP/2 protocol error from the server: \(error)"))
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        isReading = false
        if keepalive != nil { lastActivity = .now() }
        flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flush() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopKeepalive()
        failAll(Status(code: .unavailable, message: "the connection to \(authority) was closed"))
        session = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(Status(code: .unavailable, message: "connection error: \(error)"))
        context.close(promise: nil)
    }

    func failAll(_ status: Status) {
        isClosed = true
        draining.withLockedValue { $0 = true }
        let open = streams.values
        streams.removeAll()
        for stream in open { end(stream, status, [:]) }
    }

    func flush() {
        guard let context, let session, context.channel.isWritable else { return }
        if session.drain(into: context, closing: closeAfterFlush) {
            isClosed = true
            draining.withLockedValue { $0 = true }
        }
    }

    func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        if isReading && !closeAfterFlush { return } // the read batch flushes by itself
        flushScheduled = true
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            bound.value.flushScheduled = false
            bound.value.flush()
        }
    }

    // MARK: Calls

    /// Sends request headers for a new call; nil if the connection cannot take it.
    func startCall(_ stream: ClientStream, method: MethodDescriptor, metadata: Metadata, options: RPCCallOptions) -> Bool {
        let timeout = options.timeout
        guard let session, !isClosed else { return false }
        var headers: [(String, String)] = [
            (":method", "POST"), (":scheme", scheme), (":path", method.path), (":authority", authority),
            ("content-type", "application/grpc"), ("te", "trailers"), ("user-agent", "hodei-grpc/1"),
            ("grpc-accept-encoding", "gzip,identity"),
        ]
        if options.compressRequests {
            headers.append(("grpc-encoding", "gzip"))
            stream.compressRequests = true
        }
        if let timeout { headers.append(("grpc-timeout", GRPCTimeout(timeout).headerValue)) }
        headers += HeaderCoding.headers(from: metadata)
        guard let id = session.submitRequest(headers: headers) else { return false }
        stream.id = id
        streams[id] = stream
        if streams.count == 1 { keepaliveFirstCallStarted() }
        if let timeout, let context {
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            stream.deadlineTimer = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                bound.value.cancel(id, status: Status(code: .deadlineExceeded, message: "the deadline was exceeded"))
            }
        }
        scheduleFlush()
        return true
    }

    func resume(_ stream: ClientStream) {
        if stream.isDeferred {
            stream.isDeferred = false
            session?.resumeData(streamID: stream.id)
        }
        scheduleFlush()
    }

    /// Resets a call's stream and ends it with `status`.
    func cancel(_ id: Int32, status: Status) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        session?.resetStream(streamID: id, errorCode: NGHTTP2_CANCEL.rawValue)
        end(stream, status, [:])
        scheduleFlush()
    }
}
