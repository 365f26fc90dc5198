import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2
import TestSupport
import XCTest
@testable import Server

/// `hodei-server` started with its TLS flags: clients need the CA; with a client CA, agents
/// and clients also need a certificate (mutual TLS). Tokens are checked on top.
final class ServerTLSTests: XCTestCase {
    func testMutualTLSAndTokensOnTheRealBinary() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let database = certificates.directory.appendingPathComponent("hodei.db").path
        let server = try ServerProcess(database: database, extraArguments: [
            "--tls-cert", certificates.serverChainPath, "--tls-key", certificates.serverKeyPath,
            "--tls-client-ca", certificates.caPath,
        ])
        defer { server.terminate() }

        let trusted = try GRPCClient(host: "127.0.0.1", port: server.port, tls: .client(
            trustRoots: certificates.caPath, certificateChain: certificates.clientChainPath, privateKey: certificates.clientKeyPath))
        let jobs = Hodei_V1_JobServiceClient(transport: trusted)
        var request = Hodei_V1_SubmitJobRequest()
        var spec = Hodei_V1_JobSpec()
        spec.argv = ["true"]
        request.spec = spec
        let id = try await jobs.submitJob(request, metadata: TestServer.clientAuth).jobId
        XCTAssertTrue(id.hasPrefix("j-"))
        await assertStatus(.unauthenticated) { _ = try await jobs.submitJob(request, metadata: ["authorization": "Bearer wrong"]) }
        try await trusted.shutdown()

        // No client certificate: the handshake fails, so the call is UNAVAILABLE.
        let anonymous = try GRPCClient(host: "127.0.0.1", port: server.port, tls: .client(trustRoots: certificates.caPath))
        await assertStatus(.unavailable) {
            _ = try await Hodei_V1_JobServiceClient(transport: anonymous).submitJob(request, metadata: TestServer.clientAuth)
        }
        try await anonymous.shutdown()

        // Plain h2c against the TLS port is refused too.
        let plain = try GRPCClient(host: "127.0.0.1", port: server.port)
        await assertStatus(.unavailable) {
            _ = try await Hodei_V1_JobServiceClient(transport: plain).submitJob(request, metadata: TestServer.clientAuth)
        }
        try await plain.shutdown()
    }

    func testNonLoopbackWithoutTokensIsRefused() throws {
        var configuration = TestConfiguration.make()
        configuration.host = "0.0.0.0"
        configuration.clientTokens = []
        configuration.workerTokens = []
        XCTAssertThrowsError(try configuration.validate())
        configuration.host = "127.0.0.1"
        XCTAssertNoThrow(try configuration.validate())
        configuration.clientTokens = ["only-one"]
        XCTAssertThrowsError(try configuration.validate(), "a client token without a worker token is a mistake")
    }
}

enum TestConfiguration {
    static func make() -> ServerConfiguration { ServerConfiguration() }
}
