import RPCTransportHTTP2

/// Everything `hodei-server` is started with.
struct ServerConfiguration: Sendable {
    var host = "127.0.0.1"
    var port = 50051
    /// The SQLite database file (created with its folder when missing).
    var databasePath = "hodei-data/hodei.db"
    /// Where /metrics is served; nil: not served.
    var metricsHost: String? = "127.0.0.1"
    var metricsPort = 9090
    var clientTokens: [String] = []
    var workerTokens: [String] = []
    var tls: TLSConfiguration?
    /// fsync at every commit (FULL) or only at checkpoints (NORMAL: a power cut may lose the
    /// last commits; a process crash loses nothing).
    var durableCommits = true
    var eventLoops = 1
    /// Open connections at most (each agent holds one); past it new ones are closed.
    var maxConnections = 20_000
    /// See GRPCServerConfiguration.idlePollWindow (its default here too).
    var idlePollWindow = GRPCServerConfiguration().idlePollWindow
    var coordinator = CoordinatorConfiguration()

    /// Without tokens anyone who can connect may act, which is only acceptable on loopback.
    func validate() throws(ServerConfigurationError) {
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        if clientTokens.isEmpty && workerTokens.isEmpty && !loopback {
            throw ServerConfigurationError("listening on \(host) needs --client-token and --worker-token (or their HODEI_* variables); without tokens only loopback is allowed")
        }
        if clientTokens.isEmpty != workerTokens.isEmpty {
            throw ServerConfigurationError("give both a client token and a worker token, or neither")
        }
    }
}

struct ServerConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
