import Foundation
import RPCCore
import RPCTransportHTTP2
import Synchronization
import TestSupport
import XCTest

/// Inbound HTTP/2 flow control over real sockets: a reader that falls behind stops its peer
/// (window is given back only as messages are taken), and no window leaks when calls end
/// with bytes nobody read.
final class FlowControlTests: XCTestCase {
    static let service = "hodei.test.Flow"
    static let messageSize = 64 * 1024
    static let messageCount = 1_024 // 64 MiB in all

    /// A counter shared by a handler and the test.
    final class Counter: Sendable {
        private let atomic = Atomic<Int>(0)
        var value: Int { atomic.load(ordering: .relaxed) }
        func add(_ amount: Int = 1) { atomic.add(amount, ordering: .relaxed) }
    }

    static func method(_ name: String, _ kind: RPCKind) -> MethodDescriptor {
        MethodDescriptor(service: service, method: name, kind: kind)
    }

    /// Message `index`: its index in the first four bytes, then a byte that depends on it.
    static func payload(_ index: Int, size: Int = messageSize) -> [UInt8] {
        var bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: index &* 31 &+ 7), count: size)
        withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(0..<4, with: $0) }
        return bytes
    }

    /// Polls `counter` until it has not moved for half a second; returns its value.
    static func valueOnceStill(_ counter: Counter) async throws -> Int {
        var last = -1, still = 0
        for _ in 0..<400 where still < 5 {
            try await Task.sleep(for: .milliseconds(100))
            let now = counter.value
            still = now == last ? still + 1 : 0
            last = now
        }
        return last
    }

    // MARK: Backpressure

    func testServerStopsAClientThatSendsFasterThanTheHandlerReads() async throws {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let sink = Self.method("Sink", .clientStreaming)
        let router = RPCRouter([RPCServerMethod(descriptor: sink) { requests, writer, _ in
            for await _ in gate {} // does not read until the test opens the gate
            var index = 0
            for try await message in requests {
                guard message == Self.payload(index) else { throw RPCError(code: .dataLoss, message: "message \(index) differs") }
                index += 1
            }
            try await writer.write(Array(String(index).utf8))
            return [:]
        }])
        let server = try GRPCServer(router: router, eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        let call = try await client.makeCall(method: sink, metadata: [:], timeout: .seconds(120))
        let sent = Counter()
        let sender = Task { [call, sent] in
            for index in 0..<FlowControlTests.messageCount {
                try await call.send(FlowControlTests.payload(index))
                sent.add()
            }
            await call.finish()
        }
        let stalledAt = try await withTimeout(.seconds(60)) { try await Self.valueOnceStill(sent) }
        // Accepted: the stream window (1 MiB) plus the client's send queue (256 KiB).
        XCTAssertGreaterThan(stalledAt, 0)
        XCTAssertLessThan(stalledAt * Self.messageSize, 4 << 20, "the client kept sending while the handler read nothing")
        open.finish()
        try await withTimeout(.seconds(120)) { try await sender.value }
        var reply: [UInt8] = []
        for try await message in call.responses { reply += message }
        XCTAssertEqual(String(decoding: reply, as: UTF8.self), String(Self.messageCount), "every message arrived intact and in order")
        try await client.shutdown()
        try await server.shutdown()
    }

    func testClientStopsAServerThatStreamsFasterThanTheCallerReads() async throws {
        let flood = Self.method("Flood", .serverStreaming)
        let written = Counter()
        let router = RPCRouter([RPCServerMethod(descriptor: flood) { _, writer, _ in
            for index in 0..<Self.messageCount {
                try await writer.write(Self.payload(index))
                written.add()
            }
            return [:]
        }])
        let server = try GRPCServer(router: router, eventLoops: 1)
        let port = try await server.start(port: 0)
        let client = try GRPCClient(host: "127.0.0.1", port: port)
        let call = try await client.makeCall(method: flood, metadata: [:], timeout: .seconds(120))
        try await call.send([])
        await call.finish()
        _ = try await call.initialMetadata()
        let stalledAt = try await withTimeout(.seconds(60)) { try await Self.valueOnceStill(written) }
        // Written: the client's stream window (1 MiB) plus the server's outbound queue (256 KiB).
        XCTAssertGreaterThan(stalledAt, 0)
        XCTAssertLessThan(stalledAt * Self.messageSize, 4 << 20, "the server kept streaming while the caller read nothing")
        let count = try await withTimeout(.seconds(120)) {
            var index = 0
            for try await message in call.responses {
                guard message == Self.payload(index) else { throw RPCError(code: .dataLoss, message: "message \(index) differs") }
                index += 1
            }
            return index
        }
        XCTAssertEqual(count, Self.messageCount, "every message arrived intact and in order")
        try await client.shutdown()
        try await server.shutdown()
    }
}
