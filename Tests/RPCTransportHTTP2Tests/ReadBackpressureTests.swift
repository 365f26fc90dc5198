import Foundation
import RPCCore
import RPCTransportHTTP2
import TestSupport
import XCTest

/// The server stops reading a connection it cannot write to: a client that pipelines
/// requests without reading the responses (Peers/pipelining_client.py) gets no more of its
/// requests handled until it reads, instead of making the server queue every response.
final class ReadBackpressureTests: XCTestCase {
    static let calls = 2_000
    static let requestSize = 4 * 1024 // 8 MiB of requests: far more than one read batch
    static let responseSize = 64 * 1024 // 128 MiB of responses if they all queued

    func testAClientThatDoesNotReadItsResponsesStopsTheServerReadingRequests() async throws {
        let handled = FlowControlTests.Counter()
        let method = MethodDescriptor(service: "hodei.test.Pipeline", method: "Big", kind: .unary)
        let response = [UInt8](repeating: 7, count: Self.responseSize)
        let router = RPCRouter([RPCServerMethod(descriptor: method) { requests, writer, _ in
            _ = try await requests.single()
            handled.add()
            try await writer.write(response)
            return [:]
        }])
        var configuration = GRPCServerConfiguration()
        configuration.maxConcurrentStreams = 2 * Self.calls // the peer does not wait for SETTINGS
        let server = try GRPCServer(router: router, configuration: configuration, eventLoops: 1)
        let port = try await server.start(port: 0)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipelining-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let go = directory.appendingPathComponent("go").path
        let log = directory.appendingPathComponent("peer.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let peer = Process()
        peer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        peer.arguments = ["python3", PeerProcess.peers.appendingPathComponent("pipelining_client.py").path, String(port), method.path,
                          String(Self.calls), String(Self.requestSize), String(Self.responseSize), go]
        let output = try FileHandle(forWritingTo: log)
        peer.standardOutput = output
        peer.standardError = output
        peer.standardInput = FileHandle.nullDevice
        try peer.run()
        defer {
            if peer.isRunning { peer.terminate() }
            peer.waitUntilExit()
            try? output.close()
        }

        try await withTimeout(.seconds(30)) {
            while handled.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
        }
        let stalledAt = try await withTimeout(.seconds(60)) { try await FlowControlTests.valueOnceStill(handled) }
        // One read batch (at most 16 reads of 64 KiB) before the first responses fill the
        // socket; without the pause the server reads and handles all of them.
        XCTAssertLessThan(stalledAt, Self.calls / 2, "the server went on handling requests of a client that reads no responses")

        _ = FileManager.default.createFile(atPath: go, contents: nil)
        try await withTimeout(.seconds(120)) {
            while peer.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        print(text, "handled while the client did not read: \(stalledAt)")
        XCTAssertEqual(peer.terminationStatus, 0, text)
        XCTAssertEqual(handled.value, Self.calls, "every request was handled once the client read")
        try await server.shutdown()
    }
}
