import NIOCore
import NIOPosix
import RPCTransportHTTP2
import Synchronization

/// The HTTP/2 connections simulated workers use: one per worker (`size` = workers), or a
/// few shared by many JobStreams (multiplexed). All share one event-loop group, so ten
/// thousand connections cost ten thousand sockets, not ten thousand threads.
final class ConnectionPool: Sendable {
    let host: String
    let port: Int
    let size: Int
    private let group: any EventLoopGroup
    private let clients: Mutex<[GRPCClient]>

    init(host: String, port: Int, size: Int, group: any EventLoopGroup) throws {
        precondition(size > 0, "a pool needs at least one connection")
        self.host = host
        self.port = port
        self.size = size
        self.group = group
        clients = Mutex(try (0..<size).map { _ in try Self.makeClient(host: host, port: port, group: group) })
    }

    /// The connection worker `index` uses now (connections open lazily on first call).
    func client(for index: Int) -> GRPCClient {
        clients.withLock { $0[index % size] }
    }

    /// Closes every connection at once and puts fresh ones in their place: the streams on
    /// them break, and their workers reconnect through the new ones.
    func reset() async throws {
        let old = try clients.withLock { clients -> [GRPCClient] in
            let previous = clients
            clients = try (0..<size).map { _ in try Self.makeClient(host: host, port: port, group: group) }
            return previous
        }
        await Self.shutdown(old)
    }

    func shutdown() async {
        await Self.shutdown(clients.withLock { $0 })
    }

    private static func shutdown(_ clients: [GRPCClient]) async {
        await withTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try? await client.shutdown() } }
        }
    }

    private static func makeClient(host: String, port: Int, group: any EventLoopGroup) throws -> GRPCClient {
        var configuration = GRPCClientConfiguration()
        // Reconnect storms must not be slowed by the client's own backoff.
        configuration.backoff.initial = .milliseconds(20)
        configuration.backoff.maximum = .milliseconds(500)
        configuration.connectTimeout = .seconds(10)
        return try GRPCClient(host: host, port: port, configuration: configuration, eventLoopGroup: group)
    }
}
