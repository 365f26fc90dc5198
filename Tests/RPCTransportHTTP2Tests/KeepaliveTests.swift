import Foundation
import RPCCore
import RPCTransportHTTP2
import Synchronization
import TestSupport
import XCTest

/// Client keepalive PINGs over real sockets: a server process frozen with SIGSTOP (its
/// connection stays open, nothing answers) fails the open call with UNAVAILABLE and the
/// client reconnects; and no PINGs go out when keepalive is off or there is no call.
final class KeepaliveTests: XCTestCase {
    private static let fullDuplex = MethodDescriptor(service: "grpc.testing.TestService", method: "FullDuplexCall", kind: .bidirectionalStreaming)
    private static let emptyCall = MethodDescriptor(service: "grpc.testing.TestService", method: "EmptyCall", kind: .unary)
    /// `StreamingOutputCallRequest { response_parameters { size: 1 } }`: one response back.
    private static let oneResponse: [UInt8] = [0x12, 0x02, 0x08, 0x01]
    /// Any method on the PING-counting peer: it answers headers at once, and ends the call
    /// only when the client ends its side.
    private static let open = MethodDescriptor(service: "hodei.test.Open", method: "Wait", kind: .bidirectionalStreaming)
    private static let short = MethodDescriptor(service: "hodei.test.Open", method: "Unary", kind: .unary)

    /// What a call's response reader has seen.
    final class CallWatch: Sendable {
        private let state = Mutex<(messages: Int, error: RPCError?, endedAt: ContinuousClock.Instant?)>((0, nil, nil))

        var messages: Int { state.withLock { $0.messages } }
        var error: RPCError? { state.withLock { $0.error } }
        var endedAt: ContinuousClock.Instant? { state.withLock { $0.endedAt } }

        func read(_ call: RPCClientCall) async {
            do {
                for try await _ in call.responses { state.withLock { $0.messages += 1 } }
                state.withLock { $0.endedAt = .now }
            } catch {
                state.withLock { $0 = ($0.messages, error as? RPCError, .now) }
            }
        }

        /// Polls until the call has ended (bound the wait with `withTimeout`).
        func waitForEnd() async throws {
            while endedAt == nil { try await Task.sleep(for: .milliseconds(5)) }
        }

        /// Polls until `count` messages have arrived (bound the wait with `withTimeout`).
        func waitForMessages(_ count: Int) async throws {
            while messages < count && endedAt == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
    }

    private static func unary(_ client: GRPCClient, _ method: MethodDescriptor) async throws -> [[UInt8]] {
        let call = try await client.makeCall(method: method, metadata: [:], timeout: .seconds(5))
        try await call.send([])
        await call.finish()
        var replies: [[UInt8]] = []
        for try await reply in call.responses { replies.append(reply) }
        return replies
    }

    func testACallToAFrozenServerFailsWithUnavailableAndTheClientReconnects() async throws {
        let path = ChildServer.binaries.appendingPathComponent("hodei-interop-server").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            XCTFail("\(path) is missing: run `swift build --build-tests` first")
            return
        }
        let server = try ChildServer([path, "--port", "0"])
        defer { server.stop() }
        var configuration = GRPCClientConfiguration()
        configuration.keepaliveInterval = .milliseconds(300)
        configuration.keepaliveTimeout = .milliseconds(300)
        let client = try GRPCClient(host: "127.0.0.1", port: server.port, configuration: configuration)
        let call = try await client.makeCall(method: Self.fullDuplex, metadata: [:], timeout: .seconds(60))
        let watch = CallWatch()
        Task { await watch.read(call) }
        try await call.send(Self.oneResponse)
        try await withTimeout(.seconds(10)) { try await watch.waitForMessages(1) }

        // Quiet for four intervals: the server answers the PINGs, so the call lives on.
        try await Task.sleep(for: .milliseconds(1_200))
        try await call.send(Self.oneResponse)
        try await withTimeout(.seconds(10)) { try await watch.waitForMessages(2) }
        XCTAssertNil(watch.endedAt, "the call ended while the server was answering: \(String(describing: watch.error))")

        server.suspend()
        let frozenAt = ContinuousClock.now
        try await withTimeout(.seconds(10)) { try await watch.waitForEnd() }
        let error = try XCTUnwrap(watch.error, "the call ended without an error")
        XCTAssertEqual(error.code, .unavailable)
        XCTAssertEqual(error.message, "keepalive ping not answered within 300ms; connection closed")
        let elapsed = frozenAt.duration(to: try XCTUnwrap(watch.endedAt))
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(250), "the call failed before a PING could go unanswered")
        XCTAssertLessThan(elapsed, .seconds(2))

        server.resume()
        let replies = try await withTimeout(.seconds(10)) { try await Self.unary(client, Self.emptyCall) }
        XCTAssertEqual(replies, [[]], "a new call on the same client reached the server again")
        try await client.shutdown()
    }

    // MARK: When no PINGs go out

    private static func startPingCounter() throws -> (peer: ChildServer, pings: @Sendable () -> Int) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pings-\(UUID().uuidString)").path
        let peer = try ChildServer(["python3", PeerProcess.peers.appendingPathComponent("ping_counting_server.py").path, file])
        return (peer, { (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { Int($0) } ?? 0 })
    }

    func testAnOpenCallIsNotPingedWhenKeepaliveIsOffByDefault() async throws {
        let (peer, pings) = try Self.startPingCounter()
        defer { peer.stop() }
        let quiet = try GRPCClient(host: "127.0.0.1", port: peer.port)
        let call = try await quiet.makeCall(method: Self.open, metadata: [:], timeout: .seconds(30))
        _ = try await withTimeout(.seconds(5)) { try await call.initialMetadata() }
        try await Task.sleep(for: .seconds(1))
        XCTAssertEqual(pings(), 0, "keepalive is off by default, yet the open call's connection was pinged")
        call.cancel()
        try await quiet.shutdown()

        // The same call with keepalive every 200 ms: the PINGs show.
        var configuration = GRPCClientConfiguration()
        configuration.keepaliveInterval = .milliseconds(200)
        let pinging = try GRPCClient(host: "127.0.0.1", port: peer.port, configuration: configuration)
        let watched = try await pinging.makeCall(method: Self.open, metadata: [:], timeout: .seconds(30))
        _ = try await withTimeout(.seconds(5)) { try await watched.initialMetadata() }
        try await Task.sleep(for: .seconds(1))
        XCTAssertGreaterThanOrEqual(pings(), 2, "a quiet open call was not pinged every 200 ms")
        watched.cancel()
        try await pinging.shutdown()
    }

    func testAConnectionWithoutCallsIsPingedOnlyWhenAskedTo() async throws {
        let (peer, pings) = try Self.startPingCounter()
        defer { peer.stop() }
        var configuration = GRPCClientConfiguration()
        configuration.keepaliveInterval = .milliseconds(200)
        let withoutCalls = try GRPCClient(host: "127.0.0.1", port: peer.port, configuration: configuration)
        let first = try await withTimeout(.seconds(5)) { try await Self.unary(withoutCalls, Self.short) }
        XCTAssertEqual(first, [[]])
        try await Task.sleep(for: .seconds(1)) // five intervals with the connection up and no call
        XCTAssertEqual(pings(), 0, "a connection without calls was pinged with keepaliveWithoutCalls off")
        try await withoutCalls.shutdown()

        configuration.keepaliveWithoutCalls = true
        let eager = try GRPCClient(host: "127.0.0.1", port: peer.port, configuration: configuration)
        let second = try await withTimeout(.seconds(5)) { try await Self.unary(eager, Self.short) }
        XCTAssertEqual(second, [[]])
        try await Task.sleep(for: .seconds(1))
        XCTAssertGreaterThanOrEqual(pings(), 2, "keepaliveWithoutCalls is on, yet the idle connection was not pinged")
        try await eager.shutdown()
    }

    func testACallOnAConnectionQuietForAnIntervalIsCheckedAtOnce() async throws {
        let (peer, pings) = try Self.startPingCounter()
        defer { peer.stop() }
        var configuration = GRPCClientConfiguration()
        configuration.keepaliveInterval = .seconds(1)
        let client = try GRPCClient(host: "127.0.0.1", port: peer.port, configuration: configuration)
        _ = try await withTimeout(.seconds(5)) { try await Self.unary(client, Self.short) }
        // No call for more than an interval: no PING (keepalive without calls is off), and
        // the timer, re-arming a whole interval at a time, next fires about 2 s in.
        try await Task.sleep(for: .milliseconds(1_300))
        XCTAssertEqual(pings(), 0)
        let opened = ContinuousClock.now
        let call = try await client.makeCall(method: Self.open, metadata: [:], timeout: .seconds(30))
        while pings() == 0 && ContinuousClock.now - opened < .seconds(3) { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(pings(), 1)
        XCTAssertLessThan(ContinuousClock.now - opened, .milliseconds(500), "the quiet connection was not checked when the call opened")
        call.cancel()
        try await client.shutdown()
    }
}
