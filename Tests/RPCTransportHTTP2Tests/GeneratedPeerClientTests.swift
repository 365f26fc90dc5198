import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2
import StandardServices
import XCTest

/// Clients generated from `Protos/` by other gRPC stacks call Hodei's own services: Python grpcio
/// (code from grpcio-tools) and C++ grpc (Debian libgrpc++, code from protoc + grpc_cpp_plugin).
/// Each calls Health/Check, Health/Watch and the reflection bidirectional stream, and uses the
/// generated hodei.v1 messages. Peers/generated_python_client.py and Peers/cpp/ hold the clients.
final class GeneratedPeerClientTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A server with Health and both reflection versions; Hodei's own services are listed by
    /// reflection although this server does not implement them.
    private func startServer() async throws -> (server: GRPCServer, port: Int) {
        let health = HealthService()
        var router = RPCRouter(health.serverMethods)
        let services = ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
                        "hodei.v1.JobService", "hodei.v1.WorkerService"]
        for method in ReflectionService(files: StandardAPIFiles.all, services: services).allServerMethods { router.add(method) }
        let server = try GRPCServer(router: router, eventLoops: 1)
        let port = try await server.start(port: 0)
        return (server, port)
    }

    func testGeneratedPythonClient() async throws {
        let tools = try PeerProcess.run(["python3", "-c", "import grpc, grpc_tools.protoc, google.protobuf"], timeout: 60)
        guard tools.status == 0 else {
            return XCTFail("the Python peer needs grpcio and grpcio-tools (pip install grpcio grpcio-tools; scripts/install-deps.sh): \(tools.text)")
        }
        let (server, port) = try await startServer()
        let output = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("generated_python_client.py").path, String(port),
                                          Self.repository.appendingPathComponent("Protos").path], timeout: 120)
        try await server.shutdown()
        XCTAssertEqual(output.status, 0, output.text)
        XCTAssertTrue(output.text.contains(" passed, 0 failed"), output.text)
    }

    func testGeneratedCppClient() async throws {
        // Built once into a git-ignored folder; build.sh rebuilds only when an input changed.
        let buildDirectory = Self.repository.appendingPathComponent(".build-peers/cpp")
        let build = try PeerProcess.run(["bash", PeerProcess.peers.appendingPathComponent("cpp/build.sh").path, buildDirectory.path], timeout: 600)
        guard build.status == 0, let binary = build.text.split(separator: "\n").last.map(String.init),
              FileManager.default.isExecutableFile(atPath: binary) else {
            let hint = build.status == 3 ? " (install: apt-get install g++ pkg-config libgrpc++-dev protobuf-compiler-grpc; scripts/install-deps.sh)" : ""
            return XCTFail("building the C++ peer failed with status \(build.status)\(hint):\n\(build.text)")
        }
        let (server, port) = try await startServer()
        let output = try PeerProcess.run([binary, String(port)], timeout: 120)
        try await server.shutdown()
        XCTAssertEqual(output.status, 0, output.text)
        XCTAssertTrue(output.text.contains(" passed, 0 failed"), output.text)
    }
}
