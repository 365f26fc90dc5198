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

    @Option(name: .customLong("use_tls"), help: "Serve TLS (not available yet; the server refuses to start).")
    var useTLS: Bool = false

    @Option(name: .customLong("host"), help: "The address to bind.")
    var host: String = "127.0.0.1"

    func run() async throws {
        guard !useTLS else {
            throw ValidationError("--use_tls=true: TLS is not implemented in the transport yet")
        }
        let server = GRPCServer(router: RPCRouter(InteropTestService().serverMethods))
        let bound = try await server.start(host: host, port: port)
        print("listening on \(bound)")
        fflush(nil) // stdout may be a pipe or file: make the line visible now
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
