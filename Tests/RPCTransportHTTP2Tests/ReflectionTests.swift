import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2
import StandardServices
import XCTest

/// Server reflection, used the way reflection-based tools use it (Python grpcio-reflection).
final class ReflectionTests: XCTestCase {
    func testToolsListAndCallServicesWithoutProtoFiles() async throws {
        let health = HealthService()
        var router = RPCRouter(health.serverMethods)
        // Hodei's own services are listed although this test server does not implement them.
        let services = ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
                        "hodei.v1.JobService", "hodei.v1.WorkerService"]
        for method in ReflectionService(files: StandardAPIFiles.all, services: services).allServerMethods { router.add(method) }
        let server = try GRPCServer(router: router, eventLoops: 1)
        let port = try await server.start(port: 0)
        let output = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("grpcio_reflection_client.py").path, String(port)], timeout: 60)
        XCTAssertEqual(output.status, 0, output.text)
        XCTAssertTrue(output.text.contains(" passed, 0 failed"), output.text)
        try await server.shutdown()
    }
}
