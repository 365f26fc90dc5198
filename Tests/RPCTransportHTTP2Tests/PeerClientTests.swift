import Foundation
import RPCCore
import RPCTransportHTTP2
import XCTest

/// The server against real gRPC peers on loopback.
final class PeerClientTests: XCTestCase {
    private let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers")

    func testPythonGrpcioClientCallsEveryKind() async throws {
        let server = GRPCServer(router: EchoService.router, eventLoops: 1)
        let port = try await server.start(port: 0)
        defer { Task { try? await server.shutdown() } }
        let output = try runPeer(["python3", peers.appendingPathComponent("grpcio_echo_client.py").path, String(port)], timeout: 60)
        XCTAssertTrue(output.status == 0, output.text)
        XCTAssertTrue(output.text.contains(" passed, 0 failed"), output.text)
        print(output.text)
    }

    /// Runs a peer process to completion (bounded); returns its exit status and output.
    private func runPeer(_ arguments: [String], timeout: TimeInterval) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        return (process.terminationStatus, text)
    }
}
