import Foundation
import Glibc
import NIOCore
import NIOPosix
import RPCCore
import RPCTransportHTTP2

/// The server under load and the client side of the run: address, process (for /proc
/// figures), the event loops every connection of hodei-load shares, and credentials.
final class LoadTarget: Sendable {
    let host: String
    let port: Int
    let pid: Int32?
    let group: MultiThreadedEventLoopGroup
    let clientMetadata: Metadata
    let workerMetadata: Metadata
    private let launched: LaunchedServer?

    init(_ server: ServerOptions, _ client: ClientOptions) throws {
        Self.raiseDescriptorLimit()
        if let binary = server.launchServer {
            let launched = try LaunchedServer(binary: binary, database: server.serverDb, sync: server.serverSync,
                                              cpus: server.serverCpus, extraArguments: server.serverArg)
            self.launched = launched
            host = "127.0.0.1"
            port = launched.port
            pid = launched.pid
        } else {
            launched = nil
            let address = try HostAndPort.parseServerOption(server.server)
            (host, port) = (address.host, address.port)
            pid = server.serverPid
        }
        group = MultiThreadedEventLoopGroup(numberOfThreads: client.clientThreads)
        clientMetadata = server.clientToken.map { ["authorization": "Bearer \($0)"] } ?? [:]
        workerMetadata = server.workerToken.map { ["authorization": "Bearer \($0)"] } ?? [:]
    }

    func sample() -> ProcessSample? { pid.flatMap(ProcessStats.sample(pid:)) }

    /// False once the server's process is known to be gone (true when its pid is unknown).
    var serverAlive: Bool {
        guard let pid else { return true }
        return kill(pid, 0) == 0 || errno != ESRCH
    }

    /// Runs `wait`, giving up early (false) if the server process exits meanwhile.
    func unlessServerDies(_ wait: @escaping @Sendable () async -> Bool) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await wait() }
            group.addTask { [self] in
                while !Task.isCancelled && serverAlive { try? await Task.sleep(for: .milliseconds(250)) }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    func makeClient() throws -> GRPCClient {
        try GRPCClient(host: host, port: port, eventLoopGroup: group)
    }

    func close() async {
        try? await group.shutdownGracefully()
        launched?.stop()
    }

    /// Ten thousand connections need as many descriptors: raise the soft limit to the hard one.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
