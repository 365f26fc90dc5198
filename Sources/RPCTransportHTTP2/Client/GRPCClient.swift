import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RPCCore

/// A gRPC client over one HTTP/2 connection (h2c), shared by all calls and re-established
/// on the next call after it breaks.
public final class GRPCClient: RPCClientTransport {
    public let host: String
    public let port: Int
    public let configuration: GRPCClientConfiguration
    private let tls: TLSContext?
    private let serverName: String
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    /// Every connection of this client lives on this executor's loop, so that
    /// `taskExecutor` is theirs.
    private let loopExecutor: EventLoopTaskExecutor
    private let state = NIOLockedValueBox<ConnectionState>(.idle)

    private struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<GRPCClientConnectionHandler>
        let draining: NIOLockedValueBox<Bool>

        var isUsable: Bool { channel.isActive && !draining.withLockedValue { $0 } }
    }

    private enum ConnectionState {
        case idle
        /// The last attempt failed: calls fail fast until `retryAt`.
        case backingOff(retryAt: ContinuousClock.Instant, failures: Int, reason: String)
        case connecting(EventLoopFuture<Connection>)
        case ready(Connection)
        case shutdown
    }

    /// - Parameter tls: connect with TLS (ALPN h2) instead of h2c.
    /// - Throws: ``TLSError`` when trust roots or a client certificate cannot be loaded.
    public init(host: String, port: Int, configuration: GRPCClientConfiguration = .init(), tls: TLSConfiguration? = nil,
                eventLoopGroup: (any EventLoopGroup)? = nil) throws {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.tls = try tls.map { config throws(TLSError) in try TLSContext(config) }
        self.serverName = tls?.serverNameOverride ?? host
        self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.ownsGroup = eventLoopGroup == nil
        self.loopExecutor = EventLoopTaskExecutor(loop: group.next())
    }

    /// Runs tasks on the event loop of this client's connection. A caller that makes many
    /// small calls (an agent's stream, a load generator) can run under it
    /// (`withTaskExecutorPreference(client.taskExecutor)`): its awaits on calls and messages
    /// then resume on the loop that delivers them, instead of waking a thread of the global
    /// pool for each one. Work that blocks must not run there: it would stall the connection.
    public var taskExecutor: any TaskExecutor { loopExecutor }

    public func makeCall(method: MethodDescriptor, metadata: Metadata, options: RPCCallOptions) async throws -> RPCClientCall {
        let configuration = self.configuration
        var started: (loop: any EventLoop, binding: NIOLoopBound<ClientCallBinding>, sends: ClientSendQueue, responses: RPCRequestSource)?
        // A connection the server is closing (an idle timeout's GOAWAY) can still look usable
        // here until its loop learns of it; a call refused by it was never sent, so it starts
        // again on a new connection rather than failing.
        for _ in 0..<2 where started == nil {
            let connection = try await connect()
            let loop = connection.channel.eventLoop
            let handler = connection.handler
            let draining = connection.draining
            started = try await loop.submit { () -> (any EventLoop, NIOLoopBound<ClientCallBinding>, ClientSendQueue, RPCRequestSource)? in
                let stream = ClientStream(maxMessageSize: configuration.maxReceiveMessageSize,
                                          highWaterMark: configuration.outboundHighWaterMark)
                guard handler.value.startCall(stream, method: method, metadata: metadata, options: options) else {
                    draining.withLockedValue { $0 = true }
                    return nil
                }
                let binding = NIOLoopBound(ClientCallBinding(connection: handler.value, stream: stream), eventLoop: loop)
                GRPCClientConnectionHandler.reportTakes(binding)
                return (loop, binding, stream.sendQueue, stream.responses)
            }.get()
        }
        guard let (loop, binding, sends, source) = started else {
            throw RPCError(code: .unavailable, message: "the connection is closing")
        }
        // Taking a message here is what gives its window back to the server. A cancelled
        // reader sees the end, as with a buffered AsyncThrowingStream.
        let responses = AsyncThrowingStream<[UInt8], any Error> {
            do {
                return try await source.next()?.bytes
            } catch is CancellationError {
                return nil
            }
        }
        // Sends queue without hopping onto the loop; one loop task drains what has queued.
        return RPCClientCall(
            send: { message, compress in
                let admission = try sends.enqueue(message, compress: compress)
                if admission.scheduleDrain { loop.execute { binding.value.drainSends() } }
                if admission.mustWait { try await sends.waitForRoom() }
            },
            finish: {
                if sends.requestFinish() { loop.execute { binding.value.drainSends() } }
            },
            cancel: { loop.execute { binding.value.cancel() } },
            initialMetadata: { try await binding.onLoop { try await $0.initialMetadata() } },
            trailers: { (try? await binding.onLoop { await $0.trailers() }) ?? (Status(code: .unavailable, message: "the connection is gone"), [:]) },
            responses: responses
        )
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func shutdown() async throws {
        let previous = state.withLockedValue { state -> ConnectionState in
            defer { state = .shutdown }
            return state
        }
        if case .ready(let connection) = previous { try? await connection.channel.close().get() }
        if ownsGroup { try await group.shutdownGracefully() }
    }

    private func connect() async throws -> Connection {
        var previousFailures = 0
        let future: EventLoopFuture<Connection> = try state.withLockedValue { state in
            if case .backingOff(_, let failures, _) = state { previousFailures = failures }
            switch state {
            case .ready(let connection) where connection.isUsable:
                return connection.channel.eventLoop.makeSucceededFuture(connection)
            case .connecting(let future):
                return future
            case .shutdown:
                throw RPCError(code: .unavailable, message: "the client is shut down")
            case .backingOff(let retryAt, _, let reason) where ContinuousClock.now < retryAt:
                throw RPCError(code: .unavailable, message: "cannot connect to \(host):\(port) (\(reason)); next attempt in \(ContinuousClock.now.duration(to: retryAt))")
            case .idle, .ready, .backingOff:
                let future = makeConnection()
                state = .connecting(future)
                return future
            }
        }
        do {
            let connection = try await future.get()
            state.withLockedValue { state in
                if case .connecting = state { state = .ready(connection) }
            }
            return connection
        } catch {
            let backoff = configuration.backoff
            state.withLockedValue { state in
                guard case .connecting = state else { return }
                let failures = previousFailures + 1
                state = .backingOff(retryAt: ContinuousClock.now.advanced(by: backoff.delay(afterFailures: failures)),
                                    failures: failures, reason: "\(error)")
            }
            throw RPCError(code: .unavailable, message: "cannot connect to \(host):\(port): \(error)", cause: error)
        }
    }

    private func makeConnection() -> EventLoopFuture<Connection> {
        let configuration = self.configuration
        let authority = "\(tls == nil ? host : serverName):\(port)"
        let tls = self.tls
        let serverName = self.serverName
        return ClientBootstrap(group: loopExecutor.loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(OpenSSLHandler(context: tls, serverName: serverName)) }
                    try channel.pipeline.syncOperations.addHandler(
                        GRPCClientConnectionHandler(configuration: configuration, authority: authority, scheme: tls == nil ? "http" : "https"))
                }
            }
            .connect(host: host, port: port)
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: GRPCClientConnectionHandler.self)
                return Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop), draining: handler.draining)
            }
    }
}
