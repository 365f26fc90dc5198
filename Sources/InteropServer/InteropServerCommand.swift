import ArgumentParser
import Foundation
import InteropTesting
import RPCCore
import RPCTransportHTTP2

/// `hodei-interop-server`: grpc.testing.TestService on Hodei's transport, taking the
/// official interop server flags so harnesses drive it like the reference servers.
@main
struct InteropServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei-interop-server",
        abstract: "Serve grpc.testing.TestService for the gRPC interop tests."
    )

    @Option(name: .customLong("port"), help: "The port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .customLong("use_tls"), help: "Serve TLS with ALPN h2.")
    var useTLS: Bool = false

    @Option(name: .customLong("tls_cert_file"), help: "PEM certificate chain (with --use_tls).")
    var certificateFile: String?

    @Option(name: .customLong("tls_key_file"), help: "PEM private key (with --use_tls).")
    var keyFile: String?

    @Option(name: .customLong("host"), help: "The address to bind.")
    var host: String = "127.0.0.1"

    func run() async throws {
        var tls: TLSConfiguration?
        if useTLS {
            guard let certificateFile, let keyFile else {
                throw ValidationError("--use_tls=true needs --tls_cert_file and --tls_key_file")
            }
            tls = .server(certificateChain: certificateFile, privateKey: keyFile)
        }
        let server = try GRPCServer(router: RPCRouter(InteropTestService().serverMethods), tls: tls)
        let bound = try await server.start(host: host, port: port)
        print("listening on \(bound)")
        fflush(nil) // stdout may be a pipe or file: make the line visible now
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
