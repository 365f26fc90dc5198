import Foundation
import RPCCore
import RPCTransportHTTP2
import XCTest

/// The server against real gRPC peers on loopback.
final class PeerClientTests: XCTestCase {
    func testPythonGrpcioClientCallsEveryKind() async throws {
        let server = try GRPCServer(router: EchoService.router, eventLoops: 1)
        let port = try await server.start(port: 0)
        defer { Task { try? await server.shutdown() } }
        let output = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("grpcio_echo_client.py").path, String(port)], timeout: 60)
        XCTAssertTrue(output.status == 0, output.text)
        XCTAssertTrue(output.text.contains(" passed, 0 failed"), output.text)
        print(output.text)
    }
}
