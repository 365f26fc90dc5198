@testable import RPCTransportHTTP2
import XCTest

final class GRPCMessageDeframerTests: XCTestCase {
    private func framed(_ messages: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for message in messages { GRPCMessageFramer.frame(message, into: &out) }
        return out
    }

    func testFramingIsFlagThenBigEndianLength() {
        var out: [UInt8] = []
        GRPCMessageFramer.frame([0xAA, 0xBB], into: &out)
        XCTAssertEqual(out, [0, 0, 0, 0, 2, 0xAA, 0xBB])
    }

    func testWholeAndByteByByteGiveTheSameMessages() throws {
        let messages: [[UInt8]] = [[], [1], Array(repeating: 7, count: 70_000), [2, 3]]
        let bytes = framed(messages)
        var whole = GRPCMessageDeframer(maxMessageSize: 1 << 20)
        bytes.withUnsafeBytes { whole.append($0) }
        var fromWhole: [[UInt8]] = []
        while let message = try whole.next() { fromWhole.append(message.bytes) }
        XCTAssertEqual(fromWhole, messages)

        var dribble = GRPCMessageDeframer(maxMessageSize: 1 << 20)
        var fromBytes: [[UInt8]] = []
        for byte in bytes {
            [byte].withUnsafeBytes { dribble.append($0) }
            while let message = try dribble.next() { fromBytes.append(message.bytes) }
        }
        XCTAssertEqual(fromBytes, messages)
        XCTAssertEqual(dribble.bufferedBytes, 0)
    }

    func testChunksSplitAnywhereGiveTheSameMessagesStraightOrBuffered() throws {
        let messages: [[UInt8]] = [[], [1], Array(repeating: 7, count: 70_000), [2, 3], [4, 5, 6]]
        let bytes = framed(messages)
        for split in [1, 3, 5, 6, 9, 1_000, bytes.count] {
            var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20)
            var received: [[UInt8]] = []
            var start = 0
            while start < bytes.count {
                let end = min(start + split, bytes.count)
                try bytes[start..<end].withUnsafeBytes { chunk in
                    var input = chunk
                    while let message = try deframer.next(from: &input) { received.append(message.bytes) }
                    XCTAssertTrue(input.isEmpty)
                }
                start = end
            }
            XCTAssertEqual(received, messages, "split \(split)")
            XCTAssertEqual(deframer.bufferedBytes, 0)
        }
    }

    func testAFourGigabytePrefixIsRejectedWithoutWaitingForTheBody() {
        var deframer = GRPCMessageDeframer(maxMessageSize: 4 << 20)
        ([0, 0xFF, 0xFF, 0xFF, 0xFF] as [UInt8]).withUnsafeBytes { deframer.append($0) }
        XCTAssertThrowsError(try deframer.next()) { error in
            XCTAssertEqual(error as? GRPCMessageDeframer.DeframingError, .messageTooLarge(length: UInt32.max, limit: 4 << 20))
        }
    }

    func testInvalidCompressedFlag() {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        ([2, 0, 0, 0, 0] as [UInt8]).withUnsafeBytes { deframer.append($0) }
        XCTAssertThrowsError(try deframer.next())
    }

    func testPartialMessageWaits() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        ([0, 0, 0, 0, 3, 1, 2] as [UInt8]).withUnsafeBytes { deframer.append($0) }
        XCTAssertNil(try deframer.next())
        XCTAssertEqual(deframer.bufferedBytes, 7)
    }
}
