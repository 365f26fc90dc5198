import Foundation
import RPCCore
import RPCTransportHTTP2
import TestSupport
import XCTest

/// TLS through OpenSSL: ALPN h2, certificate verification, and mutual TLS.
final class TLSTests: XCTestCase {
    private var certificates: TestCertificates!

    override func setUpWithError() throws {
        certificates = try TestCertificates.make()
    }

    override func tearDown() {
        certificates.remove()
    }

    private func unaryEcho(_ client: GRPCClient) async throws -> [UInt8] {
        let call = try await client.makeCall(method: MethodDescriptor(service: EchoService.name, method: "Unary", kind: .unary), metadata: [:], timeout: .seconds(5))
        try await call.send(Array("secret".utf8))
        await call.finish()
        var reply: [UInt8] = []
        for try await message in call.responses { reply += message }
        return reply
    }

    func testHodeiClientAndGrpcioClientOverTLS() async throws {
        let server = try GRPCServer(router: EchoService.router, tls: .server(certificateChain: certificates.serverChainPath, privateKey: certificates.serverKeyPath), eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port, tls: .client(trustRoots: certificates.caPath))
        let reply = try await unaryEcho(client)
        XCTAssertEqual(reply, Array("secret".utf8))
        try await client.shutdown()

        let grpcio = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("grpcio_tls_client.py").path, String(port), certificates.caPath], timeout: 60)
        XCTAssertEqual(grpcio.status, 0, grpcio.text)
        try await server.shutdown()
    }

    func testAServerWithAnUntrustedCertificateIsRefused() async throws {
        let server = try GRPCServer(router: EchoService.router, tls: .server(certificateChain: certificates.serverChainPath, privateKey: certificates.serverKeyPath), eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port, tls: .client(trustRoots: certificates.otherCAPath))
        do {
            _ = try await unaryEcho(client)
            XCTFail("a server signed by an unknown CA was accepted")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable, "\(error)")
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    func testMutualTLSRequiresAClientCertificateFromTheTrustedCA() async throws {
        let server = try GRPCServer(
            router: EchoService.router,
            tls: .server(certificateChain: certificates.serverChainPath, privateKey: certificates.serverKeyPath, requireClientCertificatesFrom: certificates.caPath),
            eventLoops: 1
        )
        let port = try await server.start(port: 0)

        let withCertificate = try GRPCClient(host: "127.0.0.1", port: port, tls: .client(
            trustRoots: certificates.caPath, certificateChain: certificates.clientChainPath, privateKey: certificates.clientKeyPath))
        let reply = try await unaryEcho(withCertificate)
        XCTAssertEqual(reply, Array("secret".utf8))
        try await withCertificate.shutdown()

        let without = try GRPCClient(host: "127.0.0.1", port: port, tls: .client(trustRoots: certificates.caPath))
        do {
            _ = try await unaryEcho(without)
            XCTFail("a client without a certificate was served")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable, "\(error)")
        }
        try await without.shutdown()

        let grpcio = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("grpcio_tls_client.py").path, String(port),
                                          certificates.caPath, certificates.clientChainPath, certificates.clientKeyPath], timeout: 60)
        XCTAssertEqual(grpcio.status, 0, grpcio.text)
        try await server.shutdown()
    }

    func testAMissingCertificateFileIsAClearError() {
        XCTAssertThrowsError(try GRPCServer(router: EchoService.router, tls: .server(certificateChain: "/nonexistent.pem", privateKey: "/nonexistent.key"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent.pem"), "\(error)")
        }
    }
}
