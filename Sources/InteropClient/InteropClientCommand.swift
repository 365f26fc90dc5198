import ArgumentParser
import Foundation
import InteropTesting
import RPCTransportHTTP2

/// `hodei-interop-client`: runs one official gRPC interop case against a TestService server,
/// taking the reference clients' flags. Prints `INTEROP_RESULT <case> PASS|FAIL` and exits
/// non-zero on failure.
@main
struct InteropClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei-interop-client",
        abstract: "Run a gRPC interop test case against a grpc.testing.TestService server."
    )

    @Option(name: .customLong("server_host")) var serverHost = "127.0.0.1"
    @Option(name: .customLong("server_host_override")) var serverHostOverride: String?
    @Option(name: .customLong("server_port")) var serverPort = 8080
    @Option(name: .customLong("test_case"), help: "One of the interop case names, or all.") var testCase = "large_unary"
    @Option(name: .customLong("use_tls")) var useTLS = false
    @Option(name: .customLong("use_test_ca")) var useTestCA = false
    @Option(name: .customLong("ca_file"), help: "PEM trust roots (the test CA with --use_test_ca).") var caFile: String?

    func run() async throws {
        var tls: TLSConfiguration?
        if useTLS {
            guard !useTestCA || caFile != nil else { throw ValidationError("--use_test_ca=true needs --ca_file") }
            tls = .client(trustRoots: caFile, serverNameOverride: serverHostOverride)
        }
        let client = try GRPCClient(host: serverHost, port: serverPort, tls: tls)
        let cases = InteropTestCases(transport: client)
        var failed = false
        for name in testCase == "all" ? InteropTestCases.names : [testCase] {
            do {
                try await cases.run(name)
                print("INTEROP_RESULT \(name) PASS")
            } catch {
                print("INTEROP_RESULT \(name) FAIL \(error)")
                failed = true
            }
        }
        fflush(nil)
        try? await client.shutdown()
        if failed { throw ExitCode(1) }
    }
}
