import ArgumentParser
import Foundation
import HodeiLogging
import Logging
import RPCTransportHTTP2

/// `hodei-server`: the Hodei job server.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei-server",
        abstract: "Serve Hodei's JobService and WorkerService over gRPC, on an embedded SQLite store."
    )

    @Option(help: "Address to listen on, HOST:PORT (env HODEI_LISTEN).")
    var listen: String = ProcessInfo.processInfo.environment["HODEI_LISTEN"] ?? "127.0.0.1:50051"

    @Option(help: "SQLite database file (env HODEI_DB).")
    var db: String = ProcessInfo.processInfo.environment["HODEI_DB"] ?? "hodei-data/hodei.db"

    @Option(help: "Where to serve Prometheus /metrics, HOST:PORT, or \"off\" (env HODEI_METRICS_LISTEN).")
    var metricsListen: String = ProcessInfo.processInfo.environment["HODEI_METRICS_LISTEN"] ?? "127.0.0.1:9090"

    @Option(help: "Bearer token clients must present (env HODEI_CLIENT_TOKEN). Repeatable.")
    var clientToken: [String] = ProcessInfo.processInfo.environment["HODEI_CLIENT_TOKEN"].map { [$0] } ?? []

    @Option(help: "Bearer token worker agents must present (env HODEI_WORKER_TOKEN). Repeatable.")
    var workerToken: [String] = ProcessInfo.processInfo.environment["HODEI_WORKER_TOKEN"].map { [$0] } ?? []

    @Option(help: "PEM certificate chain: serve TLS with ALPN h2 (env HODEI_TLS_CERT).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert (env HODEI_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "PEM CA bundle: require client certificates signed by it (mutual TLS) (env HODEI_TLS_CLIENT_CA).")
    var tlsClientCA: String?

    @Option(help: "Seconds between agent heartbeats.")
    var heartbeatInterval: Double = 5

    @Option(help: "Missed heartbeats before a worker is unhealthy.")
    var missedHeartbeats: Int = 3

    @Option(help: "Seconds an unhealthy worker has to come back before it fails and its jobs are requeued.")
    var failureGrace: Double = 10

    @Option(help: "Attempts per job when the submission does not say.")
    var defaultMaxAttempts: UInt32 = 3

    @Option(help: "Commit durability: full (fsync every commit) or normal (survives a crash of the process, not of the machine).")
    var sync: String = "full"

    @Option(help: "Event-loop threads for connections.")
    var eventLoops: Int = 1

    @Option(help: "Open connections at most (agents hold one each, clients more); more are closed at once.")
    var maxConnections: Int = 20_000

    @Option(help: "Microseconds an event loop keeps polling after a read or an answer before it sleeps, while that pays; 0: sleep at once.")
    var idlePollUs: Int = 50

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env HODEI_LOG_LEVEL).")
    var logLevel: String = ProcessInfo.processInfo.environment["HODEI_LOG_LEVEL"] ?? "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "hodei.server")
        let configuration = try makeConfiguration()
        let server = try await HodeiServer.start(configuration, logger: logger)
        var metricsNote = ""
        if let metrics = server.metricsServer { metricsNote = ", metrics on http://\(configuration.metricsHost ?? ""):\(metrics.port)/metrics" }
        // A line for scripts and people; written unbuffered since stdout may be a pipe.
        FileHandle.standardOutput.write(Data("hodei-server listening on \(configuration.host):\(server.port)\(metricsNote), store \(configuration.databasePath)\n".utf8))
        await ShutdownSignal.wait()
        logger.info("shutting down")
        await server.shutdown()
    }

    func makeConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        let listenAddress = try Self.address(listen, option: "--listen")
        (configuration.host, configuration.port) = (listenAddress.host, listenAddress.port)
        configuration.databasePath = db
        if metricsListen == "off" {
            configuration.metricsHost = nil
        } else {
            let metricsAddress = try Self.address(metricsListen, option: "--metrics-listen")
            configuration.metricsHost = metricsAddress.host
            configuration.metricsPort = metricsAddress.port
        }
        configuration.clientTokens = clientToken.filter { !$0.isEmpty }
        configuration.workerTokens = workerToken.filter { !$0.isEmpty }
        let environment = ProcessInfo.processInfo.environment
        let tlsCert = self.tlsCert ?? environment["HODEI_TLS_CERT"]
        let tlsKey = self.tlsKey ?? environment["HODEI_TLS_KEY"]
        let tlsClientCA = self.tlsClientCA ?? environment["HODEI_TLS_CLIENT_CA"]
        if let tlsCert {
            guard let tlsKey else { throw ValidationError("--tls-cert needs --tls-key") }
            configuration.tls = .server(certificateChain: tlsCert, privateKey: tlsKey, requireClientCertificatesFrom: tlsClientCA)
        } else if tlsClientCA != nil {
            throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key")
        }
        guard heartbeatInterval > 0, missedHeartbeats > 0, failureGrace >= 0 else {
            throw ValidationError("--heartbeat-interval and --missed-heartbeats must be positive, --failure-grace not negative")
        }
        configuration.coordinator.heartbeatInterval = .milliseconds(Int64(heartbeatInterval * 1000))
        configuration.coordinator.missedHeartbeats = missedHeartbeats
        configuration.coordinator.failureGracePeriod = .milliseconds(Int64(failureGrace * 1000))
        configuration.coordinator.defaultMaxAttempts = max(1, defaultMaxAttempts)
        switch sync {
        case "full": configuration.durableCommits = true
        case "normal": configuration.durableCommits = false
        default: throw ValidationError("--sync must be full or normal")
        }
        configuration.eventLoops = max(1, eventLoops)
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        configuration.maxConnections = maxConnections
        guard idlePollUs >= 0 else { throw ValidationError("--idle-poll-us must not be negative") }
        configuration.idlePollWindow = .microseconds(idlePollUs)
        return configuration
    }

    /// A listening address: a port is required (0 picks a free one); `:PORT` means 127.0.0.1.
    private static func address(_ text: String, option: String) throws -> HostAndPort {
        guard let address = HostAndPort(parsing: text, defaultHost: "127.0.0.1", allowsPortZero: true) else {
            throw ValidationError("\(option) must be HOST:PORT, got \"\(text)\"")
        }
        return address
    }
}
