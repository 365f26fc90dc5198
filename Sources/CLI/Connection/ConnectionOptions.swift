import ArgumentParser
import Foundation
import RPCTransportHTTP2

/// The options every subcommand takes to reach the server, each with an environment variable
/// as its fallback (the flag wins).
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Server address (env HODEI_SERVER; default 127.0.0.1:50051).", valueName: "host:port"))
    var server: String?

    @Option(help: ArgumentHelp("Client token, sent as 'authorization: Bearer' (env HODEI_TOKEN).", valueName: "token"))
    var token: String?

    @Flag(help: "Connect with TLS (env HODEI_TLS=1; implied by --ca-file and --cert-file).")
    var tls = false

    @Option(help: ArgumentHelp("PEM roots that verify the server (env HODEI_CA_FILE; default: the system's).", valueName: "path"))
    var caFile: String?

    @Option(help: ArgumentHelp("PEM client certificate chain for mutual TLS (env HODEI_CERT_FILE).", valueName: "path"))
    var certFile: String?

    @Option(help: ArgumentHelp("PEM private key of --cert-file (env HODEI_KEY_FILE).", valueName: "path"))
    var keyFile: String?

    @Option(help: ArgumentHelp("Name the server's certificate must carry (env HODEI_TLS_SERVER_NAME; default: the host).",
                               valueName: "name"))
    var tlsServerName: String?

    @Option(help: ArgumentHelp("Deadline of each request/response call, e.g. 10s or 1m (env HODEI_RPC_TIMEOUT; default 10s).",
                               valueName: "duration"))
    var rpcTimeout: String?

    func validate() throws {
        _ = try settings()
    }

    /// The options resolved against the environment.
    /// - Throws: `ValidationError` (a usage error) for malformed values.
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConnectionSettings {
        try ConnectionSettings(server: server, token: token, tls: tls, caFile: caFile, certFile: certFile, keyFile: keyFile,
                               tlsServerName: tlsServerName, rpcTimeout: rpcTimeout, environment: environment)
    }
}

/// Resolved ``ConnectionOptions``.
struct ConnectionSettings: Sendable {
    var address: HostAndPort
    /// Nil or empty: no `authorization` metadata.
    var token: String?
    var tls: TLSConfiguration?
    var rpcTimeout: Duration

    /// Resolves option values (nil: not given) against the environment; flags win.
    /// - Throws: `ValidationError` (a usage error) for malformed values.
    init(server: String?, token: String?, tls: Bool, caFile: String?, certFile: String?, keyFile: String?,
         tlsServerName: String?, rpcTimeout: String?, environment: [String: String]) throws {
        func fromEnvironment(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        let serverText = server ?? fromEnvironment("HODEI_SERVER") ?? "127.0.0.1:\(HostAndPort.defaultServerPort)"
        guard let address = HostAndPort(parsing: serverText, defaultPort: HostAndPort.defaultServerPort) else {
            throw ValidationError("'\(serverText)' is not a server address; expected HOST:PORT")
        }
        let timeoutText = rpcTimeout ?? fromEnvironment("HODEI_RPC_TIMEOUT") ?? "10s"
        guard let timeout = DurationText.parse(timeoutText), timeout > .zero else {
            throw ValidationError("'\(timeoutText)' is not a duration for --rpc-timeout; try 10s or 1m")
        }
        let tlsFromEnvironment = ["1", "true", "yes", "on"].contains(fromEnvironment("HODEI_TLS")?.lowercased() ?? "")
        do {
            self.tls = try ClientTLSOptions(enabled: tls || tlsFromEnvironment ? true : nil, caFile: caFile ?? fromEnvironment("HODEI_CA_FILE"),
                                            certFile: certFile ?? fromEnvironment("HODEI_CERT_FILE"), keyFile: keyFile ?? fromEnvironment("HODEI_KEY_FILE"),
                                            serverName: tlsServerName ?? fromEnvironment("HODEI_TLS_SERVER_NAME")).configuration()
        } catch {
            throw ValidationError(error.description)
        }
        self.address = address
        self.token = token ?? fromEnvironment("HODEI_TOKEN")
        self.rpcTimeout = timeout
    }
}
