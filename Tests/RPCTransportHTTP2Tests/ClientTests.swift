import Foundation
import JobAPI
import NIOPosix
import ProtoRPC
import RPCCore
import RPCTransportHTTP2
import StandardServices
import XCTest

/// Hodei's client against Hodei's server, and against Python grpcio's server.
final class ClientTests: XCTestCase {
    private func method(_ name: String, _ kind: RPCKind) -> MethodDescriptor {
        MethodDescriptor(service: EchoService.name, method: name, kind: kind)
    }

    /// The same checks against any echo server that follows Peers/grpcio_echo_server.py.
    private func exerciseEchoServer(_ client: GRPCClient) async throws {
        // Unary with metadata both ways.
        var metadata: Metadata = ["x-echo-header": "v1"]
        metadata.add("x-echo-trailer-bin", binary: [0, 1, 0xFE])
        let unary = try await client.makeCall(method: method("Unary", .unary), metadata: metadata, timeout: .seconds(5))
        try await unary.send(Array("hello".utf8))
        await unary.finish()
        var responses: [[UInt8]] = []
        for try await message in unary.responses { responses.append(message) }
        XCTAssertEqual(responses, [Array("hello".utf8)])
        let initial = try await unary.initialMetadata()
        XCTAssertEqual(initial.first("x-echo-header"), "v1")
        let (status, trailers) = await unary.trailers()
        XCTAssertEqual(status.code, .ok)
        XCTAssertEqual(trailers.binaryValues("x-echo-trailer-bin"), [[0, 1, 0xFE]])

        // Server streaming.
        let expand = try await client.makeCall(method: method("Expand", .serverStreaming), metadata: [:], timeout: .seconds(5))
        try await expand.send(Array("3:ab".utf8))
        await expand.finish()
        var expanded: [String] = []
        for try await message in expand.responses { expanded.append(String(decoding: message, as: UTF8.self)) }
        XCTAssertEqual(expanded, ["ab", "ab", "ab"])

        // Client streaming.
        let collect = try await client.makeCall(method: method("Collect", .clientStreaming), metadata: [:], timeout: .seconds(5))
        for part in ["a", "b", "c"] { try await collect.send(Array(part.utf8)) }
        await collect.finish()
        var collected: [UInt8] = []
        for try await message in collect.responses { collected += message }
        XCTAssertEqual(String(decoding: collected, as: UTF8.self), "abc")

        // Bidirectional ping-pong: each answer before the next request.
        let chat = try await client.makeCall(method: method("Chat", .bidirectionalStreaming), metadata: [:], timeout: .seconds(10))
        var iterator = chat.responses.makeAsyncIterator()
        for index in 0..<50 {
            try await chat.send(Array("ping \(index)".utf8))
            let reply = try await iterator.next()
            XCTAssertEqual(reply.map { String(decoding: $0, as: UTF8.self) }, "ping \(index)")
        }
        await chat.finish()
        let end = try await iterator.next()
        XCTAssertNil(end)

        // A status with a message that needs percent-encoding.
        let special = "not found: ☺ 100%\n"
        let fail = try await client.makeCall(method: method("Fail", .unary), metadata: [:], timeout: .seconds(5))
        try await fail.send(Array(special.utf8))
        await fail.finish()
        do {
            for try await _ in fail.responses {}
            XCTFail("expected NOT_FOUND")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .notFound)
            XCTAssertEqual(error.message, special)
        }

        // Unknown method.
        let missing = try await client.makeCall(method: method("Missing", .unary), metadata: [:], timeout: .seconds(5))
        do {
            try await missing.send([])
        } catch let error as RPCError {
            // The server answers the headers alone: its answer may arrive before this send.
            XCTAssertEqual(error.code, .unimplemented)
        }
        await missing.finish()
        let (missingStatus, _) = await missing.trailers()
        XCTAssertEqual(missingStatus.code, .unimplemented)
    }

    func testCallsUnderTheClientsTaskExecutorResumeOnItsEventLoop() async throws {
        let server = try GRPCServer(router: EchoService.router, eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        // Without the preference, the awaits resume on the global pool: no event loop there.
        try await EchoService.echoOnce(client)
        XCTAssertNil(MultiThreadedEventLoopGroup.currentEventLoop)

        let resumedOnLoop = try await withTaskExecutorPreference(client.taskExecutor) {
            var loops: [Bool] = []
            for _ in 0..<3 {
                try await EchoService.echoOnce(client)
                loops.append(MultiThreadedEventLoopGroup.currentEventLoop != nil)
            }
            // Child tasks inherit it.
            let child = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await EchoService.echoOnce(client)
                    return MultiThreadedEventLoopGroup.currentEventLoop != nil
                }
                return try await group.next()!
            }
            return loops + [child]
        }
        XCTAssertEqual(resumedOnLoop, [true, true, true, true])
        try await client.shutdown()
        try await server.shutdown()
    }

    func testAgainstHodeiServer() async throws {
        let server = try GRPCServer(router: EchoService.router, eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        try await exerciseEchoServer(client)

        // Deadlines: the client gives up, the server's handler is cancelled.
        let sleep = try await client.makeCall(method: method("Sleep", .unary), metadata: [:], timeout: .milliseconds(200))
        try await sleep.send([])
        await sleep.finish()
        let (status, _) = await sleep.trailers()
        XCTAssertEqual(status.code, .deadlineExceeded)
        try await client.shutdown()
        try await server.shutdown()
    }

    func testAgainstGrpcioServer() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PeerProcess.peers.appendingPathComponent("grpcio_echo_server.py").path]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try XCTUnwrap(Int(line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").last ?? ""), line)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        try await exerciseEchoServer(client)
        try await client.shutdown()
    }

    func testTypedHealthClient() async throws {
        let health = HealthService()
        let server = try GRPCServer(router: RPCRouter(health.serverMethods), eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        let stub = Grpc_Health_V1_HealthClient(transport: client)
        let overall = try await stub.check(Grpc_Health_V1_HealthCheckRequest())
        XCTAssertEqual(overall.status, .serving)
        var request = Grpc_Health_V1_HealthCheckRequest()
        request.service = "jobs"
        do {
            _ = try await stub.check(request)
            XCTFail("expected NOT_FOUND")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .notFound)
        }
        let updates = try await stub.watch(request)
        var iterator = updates.makeAsyncIterator()
        let first = try await iterator.next()
        XCTAssertEqual(first?.status, .serviceUnknown)
        health.setStatus(.serving, for: "jobs")
        let second = try await iterator.next()
        XCTAssertEqual(second?.status, .serving)
        updates.cancel()
        try await client.shutdown()
        try await server.shutdown()
    }

    func testConnectionRefusedIsUnavailable() async throws {
        let client = try GRPCClient(host: "127.0.0.1", port: 1)
        do {
            _ = try await client.makeCall(method: method("Unary", .unary), metadata: [:], timeout: .seconds(1))
            XCTFail("expected UNAVAILABLE")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .unavailable)
        }
        try await client.shutdown()
    }
}
