import CNGHTTP2
import NIOCore
import RPCCore

/// Serves gRPC on one HTTP/2 connection: drives its ``NGHTTP2Session`` from the channel and
/// runs each call's handler as a task on the connection's event loop.
///
/// Everything here runs on the channel's event loop. Output is drained from nghttp2 once per
/// read batch (`channelReadComplete`) and once per loop tick after handlers write. While the
/// channel is unwritable the handler neither drains output nor reads (see
/// `GRPCServerConnectionHandler+ReadBackpressure`).
final class GRPCServerConnectionHandler: ChannelDuplexHandler, NGHTTP2SessionDelegate {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let router: RPCRouter
    let configuration: GRPCServerConfiguration
    @exclusivity(unchecked) var session: NGHTTP2Session?
    @exclusivity(unchecked) var streams: [Int32: ServerStream] = [:]
    /// The stream looked up last: nghttp2 reports a request's header fields, body and end one
    /// after another, so most lookups need no hashing. Cleared when its stream goes.
    @exclusivity(unchecked) var recentStream: ServerStream?
    @exclusivity(unchecked) var headerBlock = RequestHeaderBlock()
    @exclusivity(unchecked) var context: ChannelHandlerContext?
    @exclusivity(unchecked) var executor: ConnectionTaskExecutor?
    @exclusivity(unchecked) var peer = ""
    /// Paths this connection has routed, so a repeated `:path` costs a byte comparison.
    @exclusivity(unchecked) private var routeCache: [(path: [UInt8], method: RPCServerMethodRef)] = []
    @exclusivity(unchecked) private var isReading = false
    @exclusivity(unchecked) private var flushScheduled = false
    @exclusivity(unchecked) var lifecycle = ConnectionLifecycle()
    /// Close once the current output is written (a drained connection).
    @exclusivity(unchecked) var closeAfterFlush = false
    /// A `read` held back while the channel was unwritable.
    @exclusivity(unchecked) var readHeld = false

    init(router: RPCRouter, configuration: GRPCServerConfiguration) {
        self.router = router
        self.configuration = configuration
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        executor = ConnectionTaskExecutor(loop: context.eventLoop)
        peer = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        let session = NGHTTP2Session(
            role: .server,
            delegate: self,
            settings: [
                (Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), UInt32(configuration.maxConcurrentStreams)),
                (Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), UInt32(configuration.initialStreamWindow)),
                (Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), UInt32(configuration.maxHeaderListSize)),
            ],
            connectionWindow: Int32(configuration.connectionWindow)
        )
        self.session = session
        if context.channel.isActive {
            flush()
            startLifecycleTimers()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        flush() // the server preface: SETTINGS and the connection WINDOW_UPDATE
        startLifecycleTimers()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let session else { return }
        isReading = true
        do {
            // Handlers woken by these messages answer right after, before the batch's flush.
            if let executor {
                try executor.receive { try buffer.withUnsafeReadableBytes { bytes in try session.receive(bytes) } }
            } else {
                try buffer.withUnsafeReadableBytes { bytes in try session.receive(bytes) }
            }
        } catch {
            // Not HTTP/2 (a bad preface, a malformed frame): nghttp2 has queued a GOAWAY.
            isReading = false
            flush()
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        isReading = false
        noteActivity()
        flush()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelLifecycleTimers()
        for stream in streams.values {
            failCall(stream, error: RPCError(code: .unavailable, message: "connection closed"))
        }
        streams.removeAll()
        recentStream = nil
        session = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        session = nil
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// The stream with `id`, if it is open.
    func stream(_ id: Int32) -> ServerStream? {
        if let recent = recentStream, recent.id == id { return recent }
        guard let found = streams[id] else { return nil }
        recentStream = found
        return found
    }

    /// The method for a request's `:path`.
    func route(_ path: UnsafeBufferPointer<UInt8>) -> RequestHeaders.Route {
        for entry in routeCache where entry.path.withUnsafeBufferPointer({ $0.equals(path) }) { return .found(entry.method) }
        let text = String(decoding: path, as: UTF8.self)
        guard let method = router[text] else { return .unknown(path: text) }
        let found = RPCServerMethodRef(method)
        if routeCache.count < 16 { routeCache.append((Array(path), found)) }
        return .found(found)
    }

    // MARK: Output

    /// Drains nghttp2's pending frames into the channel (see `NGHTTP2Session.drain`).
    func flush() {
        guard let context, let session else { return }
        // Stop pulling frames while the socket is full: nghttp2 keeps them (backpressure).
        guard context.channel.isWritable else { return }
        _ = session.drain(into: context, closing: closeAfterFlush)
    }

    /// Flushes once at the end of this loop tick (a read batch flushes by itself).
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
}
