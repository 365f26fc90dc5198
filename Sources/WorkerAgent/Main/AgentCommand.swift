import ArgumentParser
import Foundation
import HodeiLogging
import JobAPI
import Logging
import RPCTransportHTTP2

/// `hodei-agent`: registers with a Hodei server, holds the JobStream and runs the jobs it is
/// given as processes. SIGTERM drains (exit 0 once every job finished and was reported); a
/// second SIGTERM or SIGINT cancels the running jobs and exits after reporting them.
@main
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei-agent",
        abstract: "Hodei worker agent: runs the jobs a Hodei server assigns to this machine.",
        discussion: """
        Every option can also be set through its environment variable; the option wins:
        \(AgentOptions.environmentVariables.map { "  \($0.flag)  \($0.variable)" }.joined(separator: "\n"))
        HODEI_LABELS takes comma-separated key=value pairs; HODEI_TLS takes true/false.

        Jobs may report progress on file descriptor 3 (HODEI_PROGRESS_FD): one report per line, \
        either a percentage with an optional message ("40 step 2 of 5") or a JSON object in the \
        proto3 JSON form of hodei.v1.Progress ({"percent":40,"currentStep":"build"}).
        """
    )

    @Option(help: "Server address, HOST:PORT (default 127.0.0.1:50051).") var server: String?
    @Option(help: "Worker name; registering again under it resumes the same worker (default: host name).") var name: String?
    @Option(name: .customLong("max-jobs"), help: "Jobs run at once at most (default: number of cores).") var maxJobs: Int?
    @Option(name: .customLong("label"), help: "A worker label, key=value; repeatable.") var labels: [String] = []
    @Option(help: "Worker token, sent as 'authorization: Bearer <token>'.") var token: String?
    @Option(name: .customLong("cpu-millicores"), help: "CPU offered, in thousandths of a core (default: cores x 1000).") var cpuMillicores: UInt32?
    @Option(name: .customLong("memory-mb"), help: "Memory offered, in MiB (default: MemTotal).") var memoryMB: UInt32?
    @Option(help: "GPUs offered (default 0).") var gpus: UInt32?
    @Flag(inversion: .prefixedNo, help: "Connect with TLS (implied by --ca-file or --cert-file).") var tls: Bool?
    @Option(name: .customLong("ca-file"), help: "PEM roots that verify the server (default: system roots).") var caFile: String?
    @Option(name: .customLong("cert-file"), help: "PEM client certificate chain, for mutual TLS.") var certFile: String?
    @Option(name: .customLong("key-file"), help: "PEM private key of --cert-file.") var keyFile: String?
    @Option(name: .customLong("tls-server-name"), help: "Name the server's certificate must carry (default: the host).") var tlsServerName: String?
    @Option(name: .customLong("spool-dir"), help: "Where unacknowledged messages spill past the in-memory limit (default: $TMPDIR or /tmp).") var spoolDir: String?
    @Option(name: .customLong("work-dir"), help: "Working directory of jobs that name none (default: the agent's).") var workDir: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?

    @Option(name: .customLong("keepalive-interval"),
            help: "Seconds without hearing from the server before a PING checks the connection (default 30; 0: off).")
    var keepaliveInterval: Double?
    @Option(name: .customLong("keepalive-timeout"),
            help: "Seconds a PING may go unanswered before the connection is dropped and re-established (default 10; 0: off).")
    var keepaliveTimeout: Double?

    var options: AgentOptions {
        var options = AgentOptions()
        options.server = server
        options.name = name
        options.maxJobs = maxJobs
        options.labels = labels
        options.token = token
        options.cpuMillicores = cpuMillicores
        options.memoryMB = memoryMB
        options.gpus = gpus
        options.tls = tls
        options.caFile = caFile
        options.certFile = certFile
        options.keyFile = keyFile
        options.tlsServerName = tlsServerName
        options.spoolDir = spoolDir
        options.workDir = workDir
        options.logLevel = logLevel
        options.keepaliveInterval = keepaliveInterval
        options.keepaliveTimeout = keepaliveTimeout
        return options
    }

    func run() async throws {
        let resolved: ResolvedAgentOptions
        do {
            resolved = try ResolvedAgentOptions.resolve(options, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        let level = resolved.logLevel
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "hodei.agent")

        let clientConfiguration = resolved.clientConfiguration
        let client: GRPCClient
        do {
            client = try GRPCClient(host: resolved.host, port: resolved.port, configuration: clientConfiguration, tls: resolved.tls)
        } catch {
            logger.critical("cannot set up TLS", metadata: ["error": "\(error)"])
            throw ExitCode(2)
        }
        let session = AgentSession(configuration: resolved.configuration, transport: client, streamExecutor: client.taskExecutor, logger: logger)
        logger.info("connecting", metadata: [
            "server": "\(resolved.host):\(resolved.port)", "tls": "\(resolved.tls != nil)",
            "max_jobs": "\(resolved.configuration.capabilities.maxConcurrentJobs)",
            "cpu_millicores": "\(resolved.configuration.capabilities.total?.cpuMillicores ?? 0)",
            "memory_mb": "\(resolved.configuration.capabilities.total?.memoryMb ?? 0)",
        ])
        let signals = ShutdownSignals(session: session, logger: logger)
        let outcome = await session.run()
        signals.cancel()
        try? await client.shutdown()
        if case .fatal(let reason) = outcome {
            logger.critical("exiting", metadata: ["reason": "\(reason)"])
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
