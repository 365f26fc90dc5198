import ProtoRuntime
import XCTest

/// Varint sizes, the bytes the writer produces, and how the reader rejects bad varints.
final class VarintTests: XCTestCase {
    func testSizeAtEverySevenBitBoundary() {
        XCTAssertEqual(Varint.size(0), 1)
        XCTAssertEqual(Varint.size(1), 1)
        XCTAssertEqual(Varint.size(127), 1)
        XCTAssertEqual(Varint.size(128), 2)
        XCTAssertEqual(Varint.size(16_383), 2)
        XCTAssertEqual(Varint.size(16_384), 3)
        for bytes in 1...9 {
            let limit = UInt64(1) << UInt64(7 * bytes)
            XCTAssertEqual(Varint.size(limit - 1), bytes, "2^\(7 * bytes) - 1")
            XCTAssertEqual(Varint.size(limit), bytes + 1, "2^\(7 * bytes)")
        }
        XCTAssertEqual(Varint.size(UInt64(Int64.max)), 9)
        XCTAssertEqual(Varint.size(UInt64(1) << 63), 10)
        XCTAssertEqual(Varint.size(UInt64.max), 10)
    }

    func testInt32SizeSignExtendsNegativeValuesToTenBytes() {
        XCTAssertEqual(Varint.size(int32: 0), 1)
        XCTAssertEqual(Varint.size(int32: 127), 1)
        XCTAssertEqual(Varint.size(int32: 128), 2)
        XCTAssertEqual(Varint.size(int32: Int32.max), 5)
        XCTAssertEqual(Varint.size(int32: -1), 10)
        XCTAssertEqual(Varint.size(int32: Int32.min), 10)
    }

    func testWriterOutputForBoundaryValues() {
        let cases: [(UInt64, [UInt8])] = [
            (0, [0x00]),
            (1, [0x01]),
            (127, [0x7F]),
            (128, [0x80, 0x01]),
            (300, [0xAC, 0x02]),
            (16_383, [0xFF, 0x7F]),
            (16_384, [0x80, 0x80, 0x01]),
            (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
            (UInt64(1) << 63, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
            (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ]
        for (value, bytes) in cases {
            XCTAssertEqual(hex(written { $0.writeVarint(value) }), hex(bytes), "\(value)")
            XCTAssertEqual(Varint.size(value), bytes.count, "\(value)")
            XCTAssertEqual(readResult(bytes) { reader throws(ProtoDecodingError) in try reader.readRawVarint() }, .success(value))
        }
    }

    func testSizeMatchesWrittenLengthForEveryBitWidth() {
        for bits in 0...64 {
            let value: UInt64 = bits == 0 ? 0 : UInt64.max >> UInt64(64 - bits)
            XCTAssertEqual(written { $0.writeVarint(value) }.count, Varint.size(value), "\(bits) bits")
        }
    }

    func testReaderStopsAfterTheVarintAndReadsTheNextOne() {
        let result = readResult([0xAC, 0x02, 0x05]) { reader throws(ProtoDecodingError) in
            [try reader.readRawVarint(), try reader.readRawVarint()]
        }
        XCTAssertEqual(result, .success([300, 5]))
    }

    func testOverlongButTerminatedEncodingsAreAccepted() {
        // Protobuf parsers accept redundant continuation bytes.
        XCTAssertEqual(readResult([0x80, 0x00]) { reader throws(ProtoDecodingError) in try reader.readRawVarint() }, .success(0))
        XCTAssertEqual(readResult([0x81, 0x80, 0x00]) { reader throws(ProtoDecodingError) in try reader.readRawVarint() }, .success(1))
    }

    func testBitsBeyondTheSixtyFourthAreDropped() {
        let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        XCTAssertEqual(readResult(bytes) { reader throws(ProtoDecodingError) in try reader.readRawVarint() }, .success(UInt64.max))
    }

    func testElevenByteVarintIsMalformed() {
        let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        XCTAssertEqual(readResult(bytes) { reader throws(ProtoDecodingError) in try reader.readRawVarint() }, .failure(.malformedVarint))
        let zeros: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]
        XCTAssertEqual(readResult(zeros) { reader throws(ProtoDecodingError) in try reader.readRawVarint() }, .failure(.malformedVarint))
    }

    func testVarintCutShortAtEveryLengthIsTruncated() {
        let full: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        for length in 0..<full.count {
            let prefix = Array(full.prefix(length))
            XCTAssertEqual(
                readResult(prefix) { reader throws(ProtoDecodingError) in try reader.readRawVarint() },
                .failure(.truncated), "prefix of \(length) bytes"
            )
        }
    }

    func testTruncatedVarintInsideAMessageIsTruncated() {
        // Timestamp.seconds with a continuation byte and nothing after it.
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x08, 0x80]), .truncated)
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x08]), .truncated)
    }

    func testMalformedVarintInsideAMessage() {
        let bytes: [UInt8] = [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01]
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, bytes), .malformedVarint)
    }
}
