import ProtoRuntime
import XCTest

/// The exact bytes of every scalar writer, and that `ProtoSize` predicts them.
final class ProtoWriterTests: XCTestCase {
    private let minusOne: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]

    func testInt32() {
        XCTAssertEqual(written { $0.writeInt32(0) }, [0x00])
        XCTAssertEqual(written { $0.writeInt32(1) }, [0x01])
        XCTAssertEqual(written { $0.writeInt32(150) }, [0x96, 0x01])
        XCTAssertEqual(written { $0.writeInt32(Int32.max) }, [0xFF, 0xFF, 0xFF, 0xFF, 0x07])
        XCTAssertEqual(written { $0.writeInt32(-1) }, minusOne)
        XCTAssertEqual(written { $0.writeInt32(Int32.min) }, [0x80, 0x80, 0x80, 0x80, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        XCTAssertEqual(ProtoSize.int32(-1), 10)
        XCTAssertEqual(ProtoSize.int32(150), 2)
    }

    func testInt64AndUnsigned() {
        XCTAssertEqual(written { $0.writeInt64(-1) }, minusOne)
        XCTAssertEqual(written { $0.writeInt64(Int64.max) }, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        XCTAssertEqual(written { $0.writeUInt32(UInt32.max) }, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        XCTAssertEqual(written { $0.writeUInt64(UInt64.max) }, minusOne)
        XCTAssertEqual(ProtoSize.int64(-1), 10)
        XCTAssertEqual(ProtoSize.uint32(UInt32.max), 5)
        XCTAssertEqual(ProtoSize.uint64(UInt64.max), 10)
    }

    func testEnumIsSignExtendedLikeInt32() {
        XCTAssertEqual(written { $0.writeEnum(-2) }, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        XCTAssertEqual(written { $0.writeEnum(3) }, [0x03])
        XCTAssertEqual(ProtoSize.enum(-2), 10)
    }

    func testBool() {
        XCTAssertEqual(written { $0.writeBool(true) }, [0x01])
        XCTAssertEqual(written { $0.writeBool(false) }, [0x00])
    }

    func testFixedWidthIntegersAreLittleEndian() {
        XCTAssertEqual(written { $0.writeFixed32(0x1234_5678) }, [0x78, 0x56, 0x34, 0x12])
        XCTAssertEqual(written { $0.writeFixed64(0x0102_0304_0506_0708) }, [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
        XCTAssertEqual(written { $0.writeSFixed32(-2) }, [0xFE, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(written { $0.writeSFixed64(-2) }, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testFloatBitPatterns() {
        XCTAssertEqual(written { $0.writeFloat(1.0) }, [0x00, 0x00, 0x80, 0x3F])
        XCTAssertEqual(written { $0.writeFloat(-0.0) }, [0x00, 0x00, 0x00, 0x80])
        XCTAssertEqual(written { $0.writeFloat(.greatestFiniteMagnitude) }, [0xFF, 0xFF, 0x7F, 0x7F])
        XCTAssertEqual(written { $0.writeFloat(.infinity) }, [0x00, 0x00, 0x80, 0x7F])
        XCTAssertEqual(written { $0.writeFloat(Float(bitPattern: 0x7FC0_0000)) }, [0x00, 0x00, 0xC0, 0x7F])
    }

    func testDoubleBitPatterns() {
        XCTAssertEqual(written { $0.writeDouble(1.0) }, [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F])
        XCTAssertEqual(written { $0.writeDouble(0.1) }, [0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F])
        XCTAssertEqual(written { $0.writeDouble(-2.5) }, [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xC0])
        XCTAssertEqual(written { $0.writeDouble(-.infinity) }, [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0xFF])
    }

    func testFloatsReadBackBitForBit() {
        let nan = Double(bitPattern: 0x7FF8_0000_0000_0001)
        let bytes = written { $0.writeDouble(nan) }
        let back = readResult(bytes) { reader throws(ProtoDecodingError) in
            try reader.readDouble(FieldTag(fieldNumber: 1, wireType: .fixed64)).bitPattern
        }
        XCTAssertEqual(back, .success(nan.bitPattern))
    }

    func testStringsAreLengthPrefixedUTF8() {
        XCTAssertEqual(written { $0.writeString("") }, [0x00])
        XCTAssertEqual(written { $0.writeString("abc") }, [0x03, 0x61, 0x62, 0x63])
        XCTAssertEqual(written { $0.writeString("héllo") }, [0x06, 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F])
        XCTAssertEqual(written { $0.writeString("€") }, [0x03, 0xE2, 0x82, 0xAC])
        XCTAssertEqual(written { $0.writeString("😀") }, [0x04, 0xF0, 0x9F, 0x98, 0x80])
        XCTAssertEqual(ProtoSize.string("😀"), 5)
        // A decomposed "é" is two scalars and three bytes; nothing is normalized.
        XCTAssertEqual(written { $0.writeString("e\u{301}") }, [0x03, 0x65, 0xCC, 0x81])
    }

    func testLongStringHasMultiByteLength() {
        let text = String(repeating: "x", count: 200)
        let bytes = written(capacity: 256) { $0.writeString(text) }
        XCTAssertEqual(Array(bytes.prefix(2)), [0xC8, 0x01])
        XCTAssertEqual(bytes.count, 202)
        XCTAssertEqual(ProtoSize.string(text), 202)
    }

    func testBytes() {
        XCTAssertEqual(written { $0.writeBytes([]) }, [0x00])
        XCTAssertEqual(written { $0.writeBytes([0x00, 0xFF]) }, [0x02, 0x00, 0xFF])
        XCTAssertEqual(ProtoSize.bytes([0x00, 0xFF]), 3)
    }

    func testTagIsAVarint() {
        XCTAssertEqual(written { $0.writeTag(8) }, [0x08])
        XCTAssertEqual(written { $0.writeTag(UInt64(16) << 3 | 2) }, [0x82, 0x01])
        XCTAssertEqual(FieldTag(fieldNumber: 16, wireType: .lengthDelimited).rawValue, 130)
        XCTAssertEqual(FieldTag(fieldNumber: FieldTag.maxFieldNumber, wireType: .fixed32).rawValue, 0xFFFF_FFFD)
    }

    func testPackedVarints() {
        XCTAssertEqual(
            written { $0.writePackedInt32([1, 150, -1]) },
            [0x0D, 0x01, 0x96, 0x01] + minusOne
        )
        XCTAssertEqual(ProtoSize.packedInt32([1, 150, -1]), 13)
        XCTAssertEqual(written { $0.writePackedSInt32([0, -1, 1]) }, [0x03, 0x00, 0x01, 0x02])
        XCTAssertEqual(written { $0.writePackedUInt64([300]) }, [0x02, 0xAC, 0x02])
        XCTAssertEqual(written { $0.writePackedBool([true, false]) }, [0x02, 0x01, 0x00])
        XCTAssertEqual(written { $0.writePackedInt32([]) }, [0x00])
    }

    func testPackedFixedWidth() {
        XCTAssertEqual(written { $0.writePackedFixed32([1, 2]) }, [0x08, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00])
        XCTAssertEqual(written { $0.writePackedFloat([1.0]) }, [0x04, 0x00, 0x00, 0x80, 0x3F])
        XCTAssertEqual(written { $0.writePackedDouble([1.0]) }, [0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F])
        XCTAssertEqual(written { $0.writePackedSFixed64([-1]) }, [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(ProtoSize.packedFixed32([1, 2]), 8)
        XCTAssertEqual(ProtoSize.packedDouble([1, 2, 3]), 24)
    }

    func testEmbeddedMessageIsLengthPrefixed() {
        var timestamp = Google_Protobuf_Timestamp()
        timestamp.seconds = 1
        timestamp.nanos = 2
        XCTAssertEqual(written { $0.writeMessage(timestamp) }, [0x04, 0x08, 0x01, 0x10, 0x02])
        XCTAssertEqual(ProtoSize.message(timestamp), 5)
        XCTAssertEqual(written { $0.writeMessage(Google_Protobuf_Empty()) }, [0x00])
    }

    func testRecordEncodesToItsLiteralBytes() {
        XCTAssertEqual(hex(TestRecord.sample.serializedBytes()), hex(TestRecord.sampleBytes))
        XCTAssertEqual(TestRecord.sample.serializedSize(), TestRecord.sampleBytes.count)
    }

    func testSerializeIntoCallerMemoryWritesTheSameBytes() {
        let record = TestRecord.sample
        var buffer = [UInt8](repeating: 0, count: record.serializedSize() + 3)
        let count = buffer.withUnsafeMutableBytes { raw in
            // Deliberately misaligned: fixed-width stores must not assume alignment.
            record.serialize(into: raw.baseAddress! + 3)
        }
        XCTAssertEqual(count, TestRecord.sampleBytes.count)
        XCTAssertEqual(Array(buffer.dropFirst(3)), TestRecord.sampleBytes)
    }
}
