import Foundation
import JobAPI
import Logging
import RPCTransportHTTP2

/// The agent's settings after flags, environment variables and machine defaults are merged:
/// a flag wins over its environment variable, which wins over the default.
struct ResolvedAgentOptions {
    var host: String
    var port: Int
    var tls: TLSConfiguration?
    var logLevel: Logger.Level
    var configuration: AgentConfiguration
    /// HTTP/2 keepalive of the connection to the server; nil: off.
    var keepalive: Keepalive?

    /// PING after `interval` without hearing from the server; drop the connection when the
    /// PING goes unanswered for `timeout` (see `GRPCClientConfiguration.keepaliveInterval`).
    struct Keepalive: Equatable {
        var interval: Duration
        var timeout: Duration
    }

    /// Defaults read from the machine (injected by tests).
    struct MachineDefaults {
        var processors = MachineCapabilities.processorCount
        var memoryMB = MachineCapabilities.memoryMebibytes
        var hostname = MachineCapabilities.hostname
        var currentDirectory = FileManager.default.currentDirectoryPath
        var temporaryDirectory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let defaultServer = "127.0.0.1:50051"
    static let agentVersion = "0.1.0"
    /// A long-lived JobStream may carry nothing for long: check it every 30 s.
    static let defaultKeepalive = Keepalive(interval: .seconds(30), timeout: .seconds(10))

    static func resolve(_ options: AgentOptions, environment: [String: String], machine: MachineDefaults = MachineDefaults()) throws(Invalid) -> ResolvedAgentOptions {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        /// The flag, else the variable's value, else nil.
        func number<T: LosslessStringConvertible>(_ flag: T?, _ variable: String) throws(Invalid) -> T? {
            if let flag { return flag }
            guard let text = env(variable) else { return nil }
            guard let value = T(text) else { throw Invalid(description: "\(variable)=\(text) is not a valid number") }
            return value
        }
        func number<T: LosslessStringConvertible>(_ flag: T?, _ variable: String, _ fallback: T) throws(Invalid) -> T {
            try number(flag, variable) ?? fallback
        }

        let (host, port) = try parseServer(options.server ?? env("HODEI_SERVER") ?? defaultServer)
        let name = options.name ?? env("HODEI_NAME") ?? machine.hostname
        let maxJobs = try number(options.maxJobs, "HODEI_MAX_JOBS", machine.processors)
        guard maxJobs >= 1 else { throw Invalid(description: "--max-jobs must be at least 1") }
        let labelTexts = options.labels.isEmpty
            ? (env("HODEI_LABELS")?.split(separator: ",").map { String($0) } ?? [])
            : options.labels
        var labels: [String: String] = [:]
        for text in labelTexts {
            let parts = text.split(separator: "=", maxSplits: 1)
            let key = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard parts.count == 2, !key.isEmpty else { throw Invalid(description: "label \"\(text)\" is not key=value") }
            labels[key] = parts[1].trimmingCharacters(in: .whitespaces)
        }

        var total = Hodei_V1_ResourceQuota()
        total.cpuMillicores = try number(options.cpuMillicores, "HODEI_CPU_MILLICORES", UInt32(clamping: machine.processors * 1000))
        total.memoryMb = try number(options.memoryMB, "HODEI_MEMORY_MB", machine.memoryMB)
        total.gpus = try number(options.gpus, "HODEI_GPUS", 0)
        var capabilities = Hodei_V1_WorkerCapabilities()
        capabilities.total = total
        capabilities.maxConcurrentJobs = UInt32(clamping: maxJobs)
        capabilities.labels = labels
        capabilities.agentVersion = agentVersion
        capabilities.hostname = machine.hostname

        var enabled = options.tls
        if enabled == nil, let text = env("HODEI_TLS") { enabled = try parseBool(text) }
        let tls: TLSConfiguration?
        do {
            tls = try ClientTLSOptions(enabled: enabled, caFile: options.caFile ?? env("HODEI_CA_FILE"),
                                       certFile: options.certFile ?? env("HODEI_CERT_FILE"), keyFile: options.keyFile ?? env("HODEI_KEY_FILE"),
                                       serverName: options.tlsServerName ?? env("HODEI_TLS_SERVER_NAME")).configuration()
        } catch {
            throw Invalid(description: error.description)
        }

        let levelText = options.logLevel ?? env("HODEI_LOG_LEVEL") ?? "info"
        guard let logLevel = Logger.Level(rawValue: levelText.lowercased()) else {
            throw Invalid(description: "log level \"\(levelText)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        func seconds(_ flag: Double?, _ name: String, _ variable: String, _ fallback: Duration) throws(Invalid) -> Duration {
            guard let value = try number(flag, variable) else { return fallback }
            guard value >= 0, value < 1e9 else { throw Invalid(description: "\(name) must be 0 (off) or a positive number of seconds") }
            return .nanoseconds(Int64(value * 1e9))
        }
        let interval = try seconds(options.keepaliveInterval, "--keepalive-interval", "HODEI_KEEPALIVE_INTERVAL", defaultKeepalive.interval)
        let timeout = try seconds(options.keepaliveTimeout, "--keepalive-timeout", "HODEI_KEEPALIVE_TIMEOUT", defaultKeepalive.timeout)
        let keepalive = interval == .zero || timeout == .zero ? nil : Keepalive(interval: interval, timeout: timeout)

        let configuration = AgentConfiguration(
            name: name, capabilities: capabilities, token: options.token ?? env("HODEI_TOKEN"),
            defaultWorkingDirectory: options.workDir ?? env("HODEI_WORK_DIR") ?? machine.currentDirectory,
            spoolDirectory: options.spoolDir ?? env("HODEI_SPOOL_DIR") ?? machine.temporaryDirectory)
        return ResolvedAgentOptions(host: host, port: port, tls: tls, logLevel: logLevel, configuration: configuration, keepalive: keepalive)
    }

    /// The transport's settings for the connection to the server.
    var clientConfiguration: GRPCClientConfiguration {
        var client = GRPCClientConfiguration()
        // The session runs its own backoff with jitter; keep the transport's short.
        client.backoff.initial = .milliseconds(100)
        client.backoff.maximum = .seconds(1)
        // The JobStream lives for hours and may carry nothing for long: notice a server that
        // vanished without a RST (partition, frozen host) in seconds, not TCP's ~15 minutes.
        client.keepaliveInterval = keepalive?.interval
        if let keepalive { client.keepaliveTimeout = keepalive.timeout }
        return client
    }

    /// `HOST:PORT`, `[IPv6]:PORT`, or a bare host (port 50051): see `HostAndPort`.
    static func parseServer(_ text: String) throws(Invalid) -> (host: String, port: Int) {
        guard let address = HostAndPort(parsing: text, defaultPort: HostAndPort.defaultServerPort) else {
            throw Invalid(description: "bad server address \"\(text)\" (want HOST:PORT)")
        }
        return (address.host, address.port)
    }

    private static func parseBool(_ text: String) throws(Invalid) -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw Invalid(description: "HODEI_TLS=\(text) is not a boolean (true/false, 1/0, yes/no, on/off)")
        }
    }
}
