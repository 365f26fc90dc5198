@testable import RPCTransportHTTP2
import XCTest

final class OutboundMessageQueueTests: XCTestCase {
    /// Takes everything queued, `chunk` bytes at a time.
    private func drain(_ queue: inout OutboundMessageQueue, chunk: Int) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        for _ in 0..<100_000 {
            let count = buffer.withUnsafeMutableBytes { queue.take(into: $0) }
            if count == 0 { break }
            out += buffer[..<count]
        }
        return out
    }

    func testTakesTheSameBytesAsFramingInAnyChunkSize() {
        let messages: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 9, count: 20_000), [4]]
        var expected: [UInt8] = []
        for message in messages { GRPCMessageFramer.frame(message, into: &expected) }
        for chunk in [1, 2, 5, 7, 16_384, 100_000] {
            var queue = OutboundMessageQueue()
            for message in messages { queue.append(message, compress: false) }
            XCTAssertEqual(queue.pendingBytes, expected.count)
            XCTAssertEqual(drain(&queue, chunk: chunk), expected, "chunk \(chunk)")
            XCTAssertEqual(queue.pendingBytes, 0)
        }
    }

    func testMessagesQueuedWhileTakingKeepTheirOrder() {
        var queue = OutboundMessageQueue()
        var expected: [UInt8] = []
        var taken: [UInt8] = []
        for index in 0..<50 {
            let message = [UInt8](repeating: UInt8(index), count: index * 3)
            GRPCMessageFramer.frame(message, into: &expected)
            queue.append(message, compress: false)
            var buffer = [UInt8](repeating: 0, count: 4 + index % 11)
            let count = buffer.withUnsafeMutableBytes { queue.take(into: $0) }
            taken += buffer[..<count]
        }
        taken += drain(&queue, chunk: 3)
        XCTAssertEqual(taken, expected)
    }

    func testACompressedMessageIsFlaggedAndInflatesBack() throws {
        let message = [UInt8](repeating: 42, count: 5_000)
        var queue = OutboundMessageQueue()
        queue.append(message, compress: true)
        let bytes = drain(&queue, chunk: 1_000)
        var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20)
        let framed = try bytes.withUnsafeBytes { raw in
            var input = raw
            return try deframer.next(from: &input)
        }
        XCTAssertEqual(framed?.compressed, true)
        XCTAssertEqual(try Gzip.decompress(XCTUnwrap(framed).bytes, limit: 1 << 20), message)
    }
}
