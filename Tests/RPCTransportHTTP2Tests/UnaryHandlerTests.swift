import RPCCore
import RPCTransportHTTP2
import XCTest

/// Unary methods built from an `RPCServerMethod.UnaryHandler`: the server runs them on the
/// whole request, without a request stream or response writer. Each check runs twice, once
/// through that path and once through the same handler wrapped as a streaming `handler`,
/// and both must answer alike.
final class UnaryHandlerTests: XCTestCase {
    private static let service = "hodei.test.WholeUnary"

    private static let unaries: [(String, RPCServerMethod.UnaryHandler)] = [
        ("Echo", { message, context in
            for value in context.metadata["x-initial"] { context.addInitialMetadata("x-initial", value) }
            context.addTrailingMetadata("x-compressed", message.compressed ? "yes" : "no")
            context.compressesResponses = context.metadata.first("x-compress-response") == "yes"
            return message.bytes
        }),
        ("Fail", { _, context in
            context.addTrailingMetadata("x-from-context", "1")
            throw RPCError(code: .notFound, message: "nothing here", metadata: ["x-from-error": "2"])
        }),
        ("Sleep", { _, _ in
            try await Task.sleep(for: .seconds(30))
            return []
        }),
    ]

    /// The methods as unary handlers (`whole`) or as streaming handlers over the same code.
    private static func router(whole: Bool) -> RPCRouter {
        RPCRouter(unaries.map { name, unary in
            let method = RPCServerMethod(descriptor: MethodDescriptor(service: service, method: name, kind: .unary), unary: unary)
            return whole ? method : RPCServerMethod(descriptor: method.descriptor, handler: method.handler)
        })
    }

    private func call(
        _ client: GRPCClient, _ name: String, _ messages: [[UInt8]], metadata: Metadata = [:],
        timeout: Duration = .seconds(5), compress: Bool = false
    ) async throws -> (responses: [[UInt8]], status: Status, initial: Metadata, trailers: Metadata) {
        let descriptor = MethodDescriptor(service: Self.service, method: name, kind: .unary)
        let call = try await client.makeCall(method: descriptor, metadata: metadata, options: RPCCallOptions(timeout: timeout, compressRequests: compress))
        for message in messages { try await call.send(message) }
        await call.finish()
        var responses: [[UInt8]] = []
        do {
            for try await message in call.responses { responses.append(message) }
        } catch is RPCError {}
        let (status, trailers) = await call.trailers()
        let initial = (try? await call.initialMetadata()) ?? [:]
        return (responses, status, initial, trailers)
    }

    func testUnaryHandlersAnswerLikeTheirStreamingForm() async throws {
        for whole in [true, false] {
            let label = whole ? "unary path" : "streaming path"
            let server = try GRPCServer(router: Self.router(whole: whole), eventLoops: 1)
            let port = try await server.start(port: 0)
            let client = try GRPCClient(host: "127.0.0.1", port: port)

            let echo = try await call(client, "Echo", [Array("hello".utf8)], metadata: ["x-initial": "a"])
            XCTAssertEqual(echo.status.code, .ok, label)
            XCTAssertEqual(echo.responses, [Array("hello".utf8)], label)
            XCTAssertEqual(echo.initial.first("x-initial"), "a", label)
            XCTAssertEqual(echo.trailers.first("x-compressed"), "no", label)

            // Compressed both ways: the handler sees the flag; the client inflates the answer.
            let big = [UInt8](repeating: 7, count: 10_000)
            let gzip = try await call(client, "Echo", [big], metadata: ["x-compress-response": "yes"], compress: true)
            XCTAssertEqual(gzip.status.code, .ok, label)
            XCTAssertEqual(gzip.responses, [big], label)
            XCTAssertEqual(gzip.trailers.first("x-compressed"), "yes", label)

            // Trailers the handler added go out with its error, before the error's own.
            let fail = try await call(client, "Fail", [[]])
            XCTAssertEqual(fail.status.code, .notFound, label)
            XCTAssertEqual(fail.status.message, "nothing here", label)
            XCTAssertEqual(fail.trailers.first("x-from-context"), "1", label)
            XCTAssertEqual(fail.trailers.first("x-from-error"), "2", label)

            // A unary request has exactly one message.
            let none = try await call(client, "Echo", [])
            XCTAssertEqual(none.status.code, .internal, label)
            XCTAssertEqual(none.status.message, "the request has no message", label)
            let two = try await call(client, "Echo", [[1], [2]])
            XCTAssertEqual(two.status.code, .internal, label)
            XCTAssertEqual(two.status.message, "the request has more than one message", label)

            // The deadline ends the call while the handler sleeps.
            let started = ContinuousClock.now
            let sleep = try await call(client, "Sleep", [[]], timeout: .milliseconds(200))
            XCTAssertEqual(sleep.status.code, .deadlineExceeded, label)
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(5), label)

            try await client.shutdown()
            try await server.shutdown()
        }
    }
}
