import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves `GET /metrics` (Prometheus text format 0.0.4) over plain HTTP/1.1, so `curl` and a
/// Prometheus scraper read it; everything else is 404.
final class MetricsHTTPServer: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    /// - Parameter refresh: brings gauges that are computed on demand up to date before each
    ///   scrape.
    static func start(host: String, port: Int, metrics: ServerMetrics, group: any EventLoopGroup,
                      refresh: @escaping @Sendable () async -> Void) async throws -> MetricsHTTPServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsRequestHandler(metrics: metrics, refresh: refresh))
                }
            }
            .bind(host: host, port: port)
            .get()
        return MetricsHTTPServer(channel: channel)
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    func close() async { try? await channel.close().get() }
}

private final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: ServerMetrics
    private let refresh: @Sendable () async -> Void
    private var head: HTTPRequestHead?

    init(metrics: ServerMetrics, refresh: @escaping @Sendable () async -> Void) {
        self.metrics = metrics
        self.refresh = refresh
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            // Refresh off the event loop, then answer on it.
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            let refresh = self.refresh
            Task {
                await refresh()
                loop.execute {
                    let (handler, context) = bound.value
                    handler.respond(to: request, context: context)
                }
            }
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let found = path == "/metrics" && (request.method == .GET || request.method == .HEAD)
        let body: [UInt8] = found ? metrics.render() : Array("not found: try /metrics\n".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.count)")
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(version: request.version, status: found ? .ok : .notFound, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }
}
