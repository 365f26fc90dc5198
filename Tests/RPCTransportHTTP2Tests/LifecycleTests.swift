import Foundation
import RPCCore
import RPCTransportHTTP2
import XCTest

/// Connection lifecycle: graceful shutdown, idle timeout, keepalive, connection limit.
final class LifecycleTests: XCTestCase {
    private let slowUnary = MethodDescriptor(service: EchoService.name, method: "SlowUnary", kind: .unary)
    private let unary = MethodDescriptor(service: EchoService.name, method: "Unary", kind: .unary)

    private func echo(_ client: GRPCClient, _ method: MethodDescriptor, _ text: String) async throws -> String {
        let call = try await client.makeCall(method: method, metadata: [:], timeout: .seconds(5))
        try await call.send(Array(text.utf8))
        await call.finish()
        var reply: [UInt8] = []
        for try await message in call.responses { reply += message }
        return String(decoding: reply, as: UTF8.self)
    }

    func testGracefulShutdownLetsRunningCallsFinish() async throws {
        let server = try GRPCServer(router: EchoService.router, eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        let call = try await client.makeCall(method: slowUnary, metadata: [:], timeout: .seconds(5))
        try await call.send(Array("in flight".utf8))
        await call.finish()
        _ = try await call.initialMetadata() // the server is running the handler now

        let shutdown = Task { try await server.shutdown(gracePeriod: .seconds(5)) }
        var reply: [UInt8] = []
        for try await message in call.responses { reply += message }
        XCTAssertEqual(String(decoding: reply, as: UTF8.self), "in flight", "the running call finished after the GOAWAY")
        try await shutdown.value
        XCTAssertEqual(server.connectionCount, 0)
        do {
            _ = try await echo(client, unary, "late")
            XCTFail("a call after shutdown succeeded")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable)
        }
        try await client.shutdown()
    }

    func testIdleConnectionsAreClosedAndClientsReconnect() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.idleTimeout = .milliseconds(200)
        let server = try GRPCServer(router: EchoService.router, configuration: configuration, eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        let first = try await echo(client, unary, "one")
        XCTAssertEqual(first, "one")
        XCTAssertEqual(server.connectionCount, 1)
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while server.connectionCount > 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        XCTAssertEqual(server.connectionCount, 0, "the idle connection was closed")
        let second = try await echo(client, unary, "two")
        XCTAssertEqual(second, "two", "the client opened a new connection")
        try await client.shutdown()
        try await server.shutdown()
    }

    func testAPeerThatNeverAnswersKeepalivePingsIsDisconnected() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.keepaliveInterval = .milliseconds(200)
        configuration.keepaliveTimeout = .milliseconds(200)
        let server = try GRPCServer(router: EchoService.router, configuration: configuration, eventLoops: 1)
        let port = try await server.start(port: 0)
        let silent = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("lifecycle_peer.py").path, "silent", String(port)], timeout: 30)
        XCTAssertEqual(silent.status, 0, silent.text)
        // A client that answers PINGs (ours, through nghttp2) keeps its connection across intervals.
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        for index in 0..<4 {
            let reply = try await echo(client, slowUnary, "ping \(index)")
            XCTAssertEqual(reply, "ping \(index)")
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    func testConnectionsBeyondTheLimitAreRefused() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.maxConnections = 3
        let server = try GRPCServer(router: EchoService.router, configuration: configuration, eventLoops: 1)
        let port = try await server.start(port: 0)
        let result = try PeerProcess.run(["python3", PeerProcess.peers.appendingPathComponent("lifecycle_peer.py").path, "limit", String(port), "3"], timeout: 30)
        XCTAssertEqual(result.status, 0, result.text)
        try await server.shutdown()
    }
}
