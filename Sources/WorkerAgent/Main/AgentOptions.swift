/// The command line as given: nil (or empty) where a flag was not passed. Each value falls
/// back to its environment variable, then to a default (``resolve(environment:)``).
struct AgentOptions: Sendable, Equatable {
    var server: String?
    var name: String?
    var maxJobs: Int?
    var labels: [String] = []
    var token: String?
    var cpuMillicores: UInt32?
    var memoryMB: UInt32?
    var gpus: UInt32?
    var tls: Bool?
    var caFile: String?
    var certFile: String?
    var keyFile: String?
    var tlsServerName: String?
    var spoolDir: String?
    var workDir: String?
    var logLevel: String?
    /// Seconds; 0 turns keepalive off.
    var keepaliveInterval: Double?
    var keepaliveTimeout: Double?

    init() {}

    /// The environment variable of every option, in the order of `--help`.
    static let environmentVariables: [(flag: String, variable: String)] = [
        ("--server", "HODEI_SERVER"), ("--name", "HODEI_NAME"), ("--max-jobs", "HODEI_MAX_JOBS"),
        ("--label", "HODEI_LABELS"), ("--token", "HODEI_TOKEN"), ("--cpu-millicores", "HODEI_CPU_MILLICORES"),
        ("--memory-mb", "HODEI_MEMORY_MB"), ("--gpus", "HODEI_GPUS"), ("--tls", "HODEI_TLS"),
        ("--ca-file", "HODEI_CA_FILE"), ("--cert-file", "HODEI_CERT_FILE"), ("--key-file", "HODEI_KEY_FILE"),
        ("--tls-server-name", "HODEI_TLS_SERVER_NAME"), ("--spool-dir", "HODEI_SPOOL_DIR"),
        ("--work-dir", "HODEI_WORK_DIR"), ("--log-level", "HODEI_LOG_LEVEL"),
        ("--keepalive-interval", "HODEI_KEEPALIVE_INTERVAL"), ("--keepalive-timeout", "HODEI_KEEPALIVE_TIMEOUT"),
    ]
}
