import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RPCCore

/// A gRPC server over HTTP/2 with prior knowledge (h2c): SwiftNIO accepts connections and
/// each gets a ``GRPCServerConnectionHandler`` with its own nghttp2 session.
public final class GRPCServer: Sendable {
    public let router: RPCRouter
    public let configuration: GRPCServerConfiguration
    private let tls: TLSContext?
    private let group: MultiThreadedEventLoopGroup
    private let ownsGroup: Bool
    private let channel: NIOLockedValueBox<(any Channel)?> = NIOLockedValueBox(nil)

    /// - Parameters:
    ///   - eventLoops: threads serving connections (default: one per core).
    ///   - tls: serve TLS (ALPN h2, optionally mutual TLS) instead of h2c.
    /// - Throws: ``TLSError`` when the certificate or key cannot be loaded.
    public init(router: RPCRouter, configuration: GRPCServerConfiguration = .init(), tls: TLSConfiguration? = nil,
                eventLoops: Int = System.coreCount) throws {
        self.router = router
        self.configuration = configuration
        self.tls = try tls.map { config throws(TLSError) in try TLSContext(config) }
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoops)
        self.ownsGroup = true
    }

    /// Binds and starts accepting; returns the bound port (useful with port 0).
    public func start(host: String = "127.0.0.1", port: Int) async throws -> Int {
        let router = self.router
        let configuration = self.configuration
        let tls = self.tls
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addHandler(GRPCServerConnectionHandler(router: router, configuration: configuration))
                }
            }
        let bound = try await bootstrap.bind(host: host, port: port).get()
        channel.withLockedValue { $0 = bound }
        return bound.localAddress?.port ?? port
    }

    /// Stops accepting and closes every connection, then stops the event loops.
    public func shutdown() async throws {
        let bound = channel.withLockedValue { channel -> (any Channel)? in
            defer { channel = nil }
            return channel
        }
        try? await bound?.close().get()
        if ownsGroup { try await group.shutdownGracefully() }
    }
}
