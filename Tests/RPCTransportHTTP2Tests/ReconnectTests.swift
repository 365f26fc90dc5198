import Foundation
import RPCCore
import RPCTransportHTTP2
import XCTest

/// A client that cannot connect backs off (failing calls fast), then reconnects.
final class ReconnectTests: XCTestCase {
    private let unary = MethodDescriptor(service: EchoService.name, method: "Unary", kind: .unary)

    private func echo(_ client: GRPCClient, _ text: String) async throws -> String {
        let call = try await client.makeCall(method: unary, metadata: [:], timeout: .seconds(5))
        try await call.send(Array(text.utf8))
        await call.finish()
        var reply: [UInt8] = []
        for try await message in call.responses { reply += message }
        return String(decoding: reply, as: UTF8.self)
    }

    func testBackoffThenReconnect() async throws {
        // Find a free port, then leave it closed.
        let probe = try GRPCServer(router: EchoService.router, eventLoops: 1)
        let port = try await probe.start(port: 0)
        try await probe.shutdown()

        var configuration = GRPCClientConfiguration()
        configuration.backoff.initial = .milliseconds(300)
        configuration.backoff.jitter = 0
        let client = try GRPCClient(host: "127.0.0.1", port: port, configuration: configuration)
        do {
            _ = try await echo(client, "nobody there")
            XCTFail("a call to a closed port succeeded")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable)
            XCTAssertTrue(error.message.contains("cannot connect"), error.message)
        }
        do {
            _ = try await echo(client, "still backing off")
            XCTFail("a call during the backoff succeeded")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable)
            XCTAssertTrue(error.message.contains("next attempt in"), "failed fast without a new attempt: \(error.message)")
        }

        let server = try GRPCServer(router: EchoService.router, eventLoops: 1)
        _ = try await server.start(port: port)
        try await Task.sleep(for: .milliseconds(400)) // past the 300 ms backoff
        let reply = try await echo(client, "back")
        XCTAssertEqual(reply, "back")
        try await client.shutdown()
        try await server.shutdown()
    }

    func testBackoffGrowsAndIsCapped() {
        var backoff = ConnectionBackoff()
        backoff.jitter = 0
        XCTAssertEqual(backoff.delay(afterFailures: 1), .seconds(1))
        XCTAssertEqual(backoff.delay(afterFailures: 2), .milliseconds(1600))
        XCTAssertEqual(backoff.delay(afterFailures: 40), .seconds(120))
        backoff.jitter = 0.2
        for _ in 0..<100 {
            let delay = backoff.delay(afterFailures: 3)
            XCTAssertGreaterThanOrEqual(delay, .milliseconds(2048))
            XCTAssertLessThanOrEqual(delay, .milliseconds(3072))
        }
    }
}
