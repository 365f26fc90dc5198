import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2
import StandardServices
import XCTest

/// grpc.health.v1.Health on a real server, checked by Python grpcio.
final class HealthServiceTests: XCTestCase {
    func testCheckAndWatchFromGrpcio() async throws {
        let health = HealthService()
        var router = RPCRouter(health.serverMethods)
        // Lets the peer change a status mid-watch without the test sleeping.
        router.add(RPCServerMethod(descriptor: MethodDescriptor(service: "hodei.test.Control", method: "SetStatus", kind: .unary)) { requests, writer, _ in
            let text = String(decoding: try await requests.single().bytes, as: UTF8.self).split(separator: "=")
            health.setStatus(.init(rawValue: Int32(text[1]) ?? 0), for: String(text[0]))
            try await writer.write([])
            return [:]
        })
        let server = try GRPCServer(router: router, eventLoops: 1)
        let port = try await server.start(port: 0)
        defer { Task { try? await server.shutdown() } }
        let output = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("grpcio_health_client.py").path, String(port)], timeout: 60)
        XCTAssertEqual(output.status, 0, output.text)
        XCTAssertTrue(output.text.contains(" passed, 0 failed"), output.text)
    }
}
