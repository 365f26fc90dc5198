import RPCCore
import RPCTransportHTTP2
import XCTest

/// A test service on raw bytes, covering the four call kinds, metadata, errors and deadlines.
enum EchoService {
    static let name = "hodei.test.Echo"

    static func method(_ method: String, _ kind: RPCKind, _ handler: @escaping RPCServerMethod.Handler) -> RPCServerMethod {
        RPCServerMethod(descriptor: MethodDescriptor(service: name, method: method, kind: kind), handler: handler)
    }

    static let router = RPCRouter([
        method("Unary", .unary) { requests, writer, context in
            let message = try await requests.single().bytes
            var initial = Metadata()
            for value in context.metadata["x-echo-header"] { initial.add("x-echo-header", value) }
            try await writer.writeInitialMetadata(initial)
            try await writer.write(message)
            var trailers = Metadata()
            for value in context.metadata.binaryValues("x-echo-trailer-bin") { trailers.add("x-echo-trailer-bin", binary: value) }
            return trailers
        },
        method("Expand", .serverStreaming) { requests, writer, _ in
            let text = String(decoding: try await requests.single().bytes, as: UTF8.self)
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let count = Int(parts[0]) ?? 0
            for _ in 0..<count { try await writer.write(Array(parts[1].utf8)) }
            return [:]
        },
        method("Collect", .clientStreaming) { requests, writer, _ in
            var all: [UInt8] = []
            for try await message in requests { all += message }
            try await writer.write(all)
            return [:]
        },
        method("Chat", .bidirectionalStreaming) { requests, writer, _ in
            for try await message in requests { try await writer.write(message) }
            return [:]
        },
        method("Fail", .unary) { requests, _, _ in
            let message = String(decoding: try await requests.single().bytes, as: UTF8.self)
            throw RPCError(code: .notFound, message: message)
        },
        method("SlowUnary", .unary) { requests, writer, _ in
            let message = try await requests.single().bytes
            try await writer.writeInitialMetadata([:]) // tells the client the call has started
            try await Task.sleep(for: .milliseconds(300))
            try await writer.write(message)
            return [:]
        },
        method("Sleep", .unary) { _, _, _ in
            try await Task.sleep(for: .seconds(30))
            return [:]
        },
    ])

    /// One Unary call through `client`; fails the test unless exactly one answer comes back.
    static func echoOnce(_ client: GRPCClient) async throws {
        let unary = MethodDescriptor(service: name, method: "Unary", kind: .unary)
        let call = try await client.makeCall(method: unary, metadata: [:], timeout: .seconds(5))
        try await call.send(Array("x".utf8))
        await call.finish()
        var count = 0
        for try await _ in call.responses { count += 1 }
        XCTAssertEqual(count, 1)
    }
}
