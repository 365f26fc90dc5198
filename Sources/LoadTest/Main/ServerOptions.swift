import ArgumentParser
import RPCTransportHTTP2

/// Which server to load, and how to find its process: an existing one (`--server`,
/// `--server-pid`) or one hodei-load starts (`--launch-server`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Server address, HOST:PORT on loopback (ignored with --launch-server).")
    var server: String = "127.0.0.1:50051"

    @Option(help: "PID of that server, for its CPU time and peak RSS (from /proc).")
    var serverPid: Int32?

    @Option(help: "Start this hodei-server binary on 127.0.0.1 with a fresh database, and stop it at the end.")
    var launchServer: String?

    @Option(help: "With --launch-server: database file (default: a new temporary folder, removed at the end).")
    var serverDb: String?

    @Option(help: "With --launch-server: --sync full or normal.")
    var serverSync: String = "full"

    @Option(help: "With --launch-server: pin it to these CPUs (taskset -c LIST), e.g. 0.")
    var serverCpus: String?

    @Option(parsing: .unconditionalSingleValue, help: "With --launch-server: one more argument for it (repeatable), e.g. --server-arg=--heartbeat-interval=5.")
    var serverArg: [String] = []

    @Option(help: "Client bearer token, if the server requires one.")
    var clientToken: String?

    @Option(help: "Worker bearer token, if the server requires one.")
    var workerToken: String?

    func validate() throws {
        guard ["full", "normal"].contains(serverSync) else { throw ValidationError("--server-sync must be full or normal") }
        if launchServer == nil {
            let address = try HostAndPort.parseServerOption(server)
            guard address.isLoopback else { throw ValidationError("hodei-load only loads servers on loopback, not \(address.host)") }
        }
    }
}

/// Options of the load generator's own connections and output.
struct ClientOptions: ParsableArguments {
    @Option(help: "Event-loop threads of hodei-load's connections.")
    var clientThreads: Int = 1

    @Option(help: "Connections the simulated workers share (0: one per worker; fewer: JobStreams multiplexed).")
    var connections: Int = 0

    @Option(help: "Connections for SubmitJob and WatchJob.")
    var submitConnections: Int = 2

    @Option(help: "Registrations and first attaches in flight at once.")
    var attachConcurrency: Int = 256

    @Option(help: "Prefix of the simulated workers' names (default: load-PID).")
    var namePrefix: String?

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    func validate() throws {
        guard clientThreads >= 1, connections >= 0, submitConnections >= 1, attachConcurrency >= 1 else {
            throw ValidationError("--client-threads, --submit-connections and --attach-concurrency must be at least 1")
        }
    }
}

extension HostAndPort {
    /// `--server`: HOST:PORT with a port; `:PORT` means 127.0.0.1.
    static func parseServerOption(_ text: String) throws -> HostAndPort {
        guard let address = HostAndPort(parsing: text, defaultHost: "127.0.0.1") else {
            throw ValidationError("--server must be HOST:PORT, got \"\(text)\"")
        }
        return address
    }
}
