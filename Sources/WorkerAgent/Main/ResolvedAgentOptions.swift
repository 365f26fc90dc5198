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

    static func resolve(_ options: AgentOptions, environment: [String: String], machine: MachineDefaults = MachineDefaults()) throws(Invalid) -> ResolvedAgentOptions {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func number<T: FixedWidthInteger>(_ flag: T?, _ variable: String, _ fallback: T) throws(Invalid) -> T {
            if let flag { return flag }
            guard let text = env(variable) else { return fallback }
            guard let value = T(text) else { throw Invalid(description: "\(variable)=\(text) is not a valid number") }
            return value
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
        let configuration = AgentConfiguration(
            name: name, capabilities: capabilities, token: options.token ?? env("HODEI_TOKEN"),
            defaultWorkingDirectory: options.workDir ?? env("HODEI_WORK_DIR") ?? machine.currentDirectory,
            spoolDirectory: options.spoolDir ?? env("HODEI_SPOOL_DIR") ?? machine.temporaryDirectory)
        return ResolvedAgentOptions(host: host, port: port, tls: tls, logLevel: logLevel, configuration: configuration)
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
