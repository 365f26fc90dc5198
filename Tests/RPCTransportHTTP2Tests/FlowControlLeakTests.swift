import Foundation
import RPCCore
import RPCTransportHTTP2
import TestSupport
import XCTest

/// Calls that end with bytes nobody read must give those bytes back as connection window;
/// otherwise a small connection window runs out and the connection stalls. Each test ends
/// with a call much larger than the window on the same connection.
final class FlowControlLeakTests: XCTestCase {
    private typealias Flow = FlowControlTests
    private static let kib = 1024

    /// Client-streaming: the number of messages and bytes received, as "count/bytes".
    private static let count = RPCServerMethod(descriptor: Flow.method("Count", .clientStreaming)) { requests, writer, _ in
        var count = 0, bytes = 0
        for try await message in requests {
            count += 1
            bytes += message.count
        }
        try await writer.write(Array("\(count)/\(bytes)".utf8))
        return [:]
    }

    private static func expectStatus(_ call: RPCClientCall, _ code: Status.Code, _ label: String) async {
        do {
            for try await _ in call.responses {}
            XCTFail("\(label): the call succeeded")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, code, "\(label): \(error)")
        } catch {
            XCTFail("\(label): \(error)")
        }
    }

    /// Sends `messages` of `size` bytes, ignoring a failure (the server may end the call first).
    private static func sendIgnoringErrors(_ call: RPCClientCall, messages: Int, size: Int) async {
        for index in 0..<messages {
            do { try await call.send(Flow.payload(index, size: size)) } catch { return }
        }
    }

    func testServerGivesBackTheWindowOfCallsThatEndWithUnreadBytes() async throws {
        let entered = Flow.Counter()
        let router = RPCRouter([
            Self.count,
            // Reads nothing, waits to be cancelled.
            RPCServerMethod(descriptor: Flow.method("Hold", .clientStreaming)) { _, _, _ in
                entered.add()
                try await Task.sleep(for: .seconds(60))
                return [:]
            },
            // Returns at once while the client is still sending.
            RPCServerMethod(descriptor: Flow.method("Quit", .bidirectionalStreaming)) { _, _, _ in [:] },
        ])
        var configuration = GRPCServerConfiguration()
        configuration.initialStreamWindow = 64 * Self.kib
        configuration.connectionWindow = 128 * Self.kib
        configuration.maxReceiveMessageSize = 16 * Self.kib
        let server = try GRPCServer(router: router, configuration: configuration, eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        try await withTimeout(.seconds(120)) {
            for round in 0..<8 {
                // A message over the limit: RESOURCE_EXHAUSTED, the rest of the body is dropped.
                let large = try await client.makeCall(method: Flow.method("Count", .clientStreaming), metadata: [:], timeout: .seconds(10))
                await Self.sendIgnoringErrors(large, messages: 1, size: 100 * Self.kib)
                await large.finish()
                await Self.expectStatus(large, .resourceExhausted, "round \(round), too large")

                // An unknown method with a body.
                let missing = try await client.makeCall(method: Flow.method("Missing", .clientStreaming), metadata: [:], timeout: .seconds(10))
                await Self.sendIgnoringErrors(missing, messages: 6, size: 15 * Self.kib)
                await missing.finish()
                await Self.expectStatus(missing, .unimplemented, "round \(round), unknown method")

                // The handler returns while the client sends.
                let quit = try await client.makeCall(method: Flow.method("Quit", .bidirectionalStreaming), metadata: [:], timeout: .seconds(10))
                await Self.sendIgnoringErrors(quit, messages: 6, size: 15 * Self.kib)
                await quit.finish()
                for try await _ in quit.responses {}

                // The client cancels while its messages wait unread in the server's queue.
                let before = entered.value
                let hold = try await client.makeCall(method: Flow.method("Hold", .clientStreaming), metadata: [:], timeout: .seconds(10))
                await Self.sendIgnoringErrors(hold, messages: 4, size: 15 * Self.kib)
                for _ in 0..<500 where entered.value == before { try await Task.sleep(for: .milliseconds(10)) }
                try await Task.sleep(for: .milliseconds(20)) // lets the messages reach the server's queue
                hold.cancel()
                await Self.expectStatus(hold, .cancelled, "round \(round), cancelled")
            }
            // 2 MiB through a 128 KiB connection window, on the same connection.
            let big = try await client.makeCall(method: Flow.method("Count", .clientStreaming), metadata: [:], timeout: .seconds(30))
            for index in 0..<128 { try await big.send(Flow.payload(index, size: 16 * Self.kib - 5)) }
            await big.finish()
            var reply: [UInt8] = []
            for try await message in big.responses { reply += message }
            XCTAssertEqual(String(decoding: reply, as: UTF8.self), "128/\(128 * (16 * Self.kib - 5))")
        }
        XCTAssertEqual(server.connectionCount, 1, "every call ran on one connection")
        try await client.shutdown()
        try await server.shutdown()
    }

    func testClientGivesBackTheWindowOfCallsThatEndWithUnreadBytes() async throws {
        // Streams `count` messages of `size` bytes (request "count:size"), then sleeps if asked.
        let stream = RPCServerMethod(descriptor: Flow.method("Stream", .serverStreaming)) { requests, writer, _ in
            let parts = String(decoding: try await requests.single().bytes, as: UTF8.self).split(separator: ":").compactMap { Int($0) }
            for index in 0..<parts[0] { try await writer.write(Flow.payload(index, size: parts[1])) }
            if parts[2] > 0 { try await Task.sleep(for: .milliseconds(parts[2])) }
            return [:]
        }
        let server = try GRPCServer(router: RPCRouter([stream]), eventLoops: 1)
        let port = try await server.start(port: 0)
        var configuration = GRPCClientConfiguration()
        configuration.initialStreamWindow = 64 * Self.kib
        configuration.connectionWindow = 128 * Self.kib
        configuration.maxReceiveMessageSize = 32 * Self.kib
        let client = try GRPCClient(host: "127.0.0.1", port: port, configuration: configuration)
        let method = Flow.method("Stream", .serverStreaming)
        @Sendable func start(_ request: String, timeout: Duration = .seconds(10)) async throws -> RPCClientCall {
            let call = try await client.makeCall(method: method, metadata: [:], timeout: timeout)
            try await call.send(Array(request.utf8))
            await call.finish()
            return call
        }
        try await withTimeout(.seconds(120)) {
            for round in 0..<8 {
                // The caller cancels with responses unread.
                let cancelled = try await start("8:15000:5000")
                _ = try await cancelled.initialMetadata()
                try await Task.sleep(for: .milliseconds(20)) // lets responses arrive
                cancelled.cancel()
                await Self.expectStatus(cancelled, .cancelled, "round \(round), cancelled")

                // The deadline passes with responses unread.
                let late = try await start("8:15000:5000", timeout: .milliseconds(200))
                _ = await late.trailers()

                // A response over the client's limit: the rest of the stream is dropped.
                let large = try await start("3:60000:0")
                await Self.expectStatus(large, .resourceExhausted, "round \(round), too large")

                // The call ends normally; the caller never reads the responses.
                let ignored = try await start("3:15000:0")
                let (status, _) = await ignored.trailers()
                XCTAssertEqual(status.code, .ok)
            }
            // 2 MiB through a 128 KiB connection window, on the same connection.
            let big = try await start("128:16000:0", timeout: .seconds(30))
            var count = 0
            for try await message in big.responses {
                XCTAssertEqual(message, Flow.payload(count, size: 16_000))
                count += 1
            }
            XCTAssertEqual(count, 128)
        }
        XCTAssertEqual(server.connectionCount, 1, "every call ran on one connection")
        try await client.shutdown()
        try await server.shutdown()
    }

    /// Padded DATA (Python's h2 sends it; our client does not): nghttp2 gives padding back
    /// itself, and the server must not count it.
    func testPaddedDataDoesNotExhaustTheWindow() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.initialStreamWindow = 65_535
        configuration.connectionWindow = 65_535
        let server = try GRPCServer(router: RPCRouter([Self.count]), configuration: configuration, eventLoops: 1)
        let port = try await server.start(port: 0)
        let script = PeerProcess.peers.appendingPathComponent("padded_data.py").path
        // 2,000 frames of 216 flow-controlled bytes each: over six times both windows.
        let result = try PeerProcess.run(["python3", script, String(port), "/\(Flow.service)/Count", "2000"], timeout: 60)
        XCTAssertEqual(result.status, 0, result.text)
        try await server.shutdown()
    }
}
