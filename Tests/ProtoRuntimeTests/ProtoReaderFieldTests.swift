import ProtoRuntime
import XCTest

/// Reading known fields: wire-type checks, UTF-8 validation, merge rules.
final class ProtoReaderFieldTests: XCTestCase {
    func testWrongWireTypeForKnownFields() {
        let cases: [([UInt8], Int, UInt8)] = [
            ([0x0A, 0x01, 0x00], 1, 2),                          // int32 id as length-delimited
            ([0x0D, 0x00, 0x00, 0x00, 0x00], 1, 5),              // int32 id as fixed32
            ([0x10, 0x01], 2, 0),                                // string name as varint
            ([0x19, 0, 0, 0, 0, 0, 0, 0, 0], 3, 1),              // bytes data as fixed64
            ([0x25, 0x00, 0x00, 0x00, 0x00], 4, 5),              // repeated sint64 as fixed32
            ([0x28, 0x01], 5, 0),                                // repeated string as varint
            ([0x35, 0x00, 0x00, 0x00, 0x00], 6, 5),              // double as fixed32
            ([0x38, 0x01], 7, 0),                                // fixed32 as varint
            ([0x40, 0x01], 8, 0),                                // message as varint
            ([0x48, 0x01], 9, 0),                                // repeated fixed64 as varint
            ([0x52, 0x00], 10, 2),                               // bool as length-delimited
        ]
        for (bytes, field, wire) in cases {
            XCTAssertEqual(decodeError(TestRecord.self, bytes), .wrongWireType(fieldNumber: field, wireType: wire), hex(bytes))
        }
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x15, 0, 0, 0, 0]), .wrongWireType(fieldNumber: 2, wireType: 5))
    }

    func testValidMultiByteUTF8() {
        XCTAssertEqual(decodeResult(TestRecord.self, [0x12, 0x04, 0xF0, 0x9F, 0x98, 0x80]).map(\.name), .success("😀"))
        XCTAssertEqual(decodeResult(TestRecord.self, [0x12, 0x01, 0x00]).map(\.name), .success("\u{0}"))
        XCTAssertEqual(decodeResult(TestRecord.self, [0x12, 0x00]).map(\.name), .success(""))
    }

    func testInvalidUTF8IsRejected() {
        let invalid: [[UInt8]] = [
            [0xC3, 0x28],               // bad continuation
            [0xC0, 0x80],               // overlong NUL
            [0xED, 0xA0, 0x80],         // UTF-16 surrogate
            [0xE2, 0x82],               // sequence cut short by the field's end
            [0xFF],                     // never valid
            [0xF4, 0x90, 0x80, 0x80],   // above U+10FFFF
        ]
        for payload in invalid {
            XCTAssertEqual(decodeError(TestRecord.self, lengthDelimited(field: 2, payload)), .invalidUTF8(fieldNumber: 2), hex(payload))
            XCTAssertEqual(decodeError(TestRecord.self, lengthDelimited(field: 5, payload)), .invalidUTF8(fieldNumber: 5), hex(payload))
        }
    }

    func testBytesFieldsAcceptAnyBytes() {
        XCTAssertEqual(decodeResult(TestRecord.self, [0x1A, 0x02, 0xC3, 0x28]).map(\.data), .success([0xC3, 0x28]))
    }

    func testScalarsAreLastOneWins() {
        XCTAssertEqual(decodeResult(TestRecord.self, [0x08, 0x01, 0x08, 0x02]).map(\.id), .success(2))
        XCTAssertEqual(decodeResult(TestRecord.self, [0x12, 0x01, 0x61, 0x12, 0x01, 0x62]).map(\.name), .success("b"))
    }

    func testRepeatedMessageFieldOccurrencesMerge() throws {
        let bytes: [UInt8] = [0x42, 0x02, 0x08, 0x01, 0x42, 0x02, 0x10, 0x02, 0x42, 0x02, 0x08, 0x03]
        let record = try TestRecord(serializedBytes: bytes)
        XCTAssertEqual(record.when?.seconds, 3)
        XCTAssertEqual(record.when?.nanos, 2)
    }

    func testEmptyEmbeddedMessageIsPresent() throws {
        let record = try TestRecord(serializedBytes: [0x42, 0x00])
        XCTAssertEqual(record.when, Google_Protobuf_Timestamp())
        XCTAssertEqual(record.serializedBytes(), [0x42, 0x00])
    }

    func testInt32FieldsTruncateWiderVarintsAsProtobufDoes() {
        let tag = FieldTag(fieldNumber: 1, wireType: .varint)
        let tenByteMinusOne: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        XCTAssertEqual(readResult(tenByteMinusOne) { reader throws(ProtoDecodingError) in try reader.readInt32(tag) }, .success(-1))
        XCTAssertEqual(readResult([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { reader throws(ProtoDecodingError) in try reader.readInt32(tag) }, .success(-1))
        XCTAssertEqual(readResult([0x80, 0x80, 0x80, 0x80, 0x10]) { reader throws(ProtoDecodingError) in try reader.readUInt32(tag) }, .success(0))
        XCTAssertEqual(readResult([0x02]) { reader throws(ProtoDecodingError) in try reader.readBool(tag) }, .success(true))
        XCTAssertEqual(readResult([0x80, 0x80, 0x80, 0x80, 0x10]) { reader throws(ProtoDecodingError) in try reader.readBool(tag) }, .success(true))
        XCTAssertEqual(readResult(tenByteMinusOne) { reader throws(ProtoDecodingError) in try reader.readEnum(tag) }, .success(-1))
    }

    func testFixedWidthReaders() {
        let fixed32 = FieldTag(fieldNumber: 1, wireType: .fixed32)
        let fixed64 = FieldTag(fieldNumber: 1, wireType: .fixed64)
        let four: [UInt8] = [0xFE, 0xFF, 0xFF, 0xFF]
        let eight: [UInt8] = [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertEqual(readResult(four) { reader throws(ProtoDecodingError) in try reader.readFixed32(fixed32) }, .success(0xFFFF_FFFE))
        XCTAssertEqual(readResult(four) { reader throws(ProtoDecodingError) in try reader.readSFixed32(fixed32) }, .success(-2))
        XCTAssertEqual(readResult(eight) { reader throws(ProtoDecodingError) in try reader.readSFixed64(fixed64) }, .success(-2))
        XCTAssertEqual(readResult(eight) { reader throws(ProtoDecodingError) in try reader.readFixed64(fixed64) }, .success(UInt64.max - 1))
        XCTAssertEqual(readResult([0x00, 0x00, 0x80, 0x3F]) { reader throws(ProtoDecodingError) in try reader.readFloat(fixed32) }, .success(1.0))
        XCTAssertEqual(readResult([0x00, 0x00, 0x80]) { reader throws(ProtoDecodingError) in try reader.readFloat(fixed32) }, .failure(.truncated))
    }

    func testStringAndBytesReadersCheckTheirWireType() {
        let varintTag = FieldTag(fieldNumber: 4, wireType: .varint)
        XCTAssertEqual(readResult([0x00]) { reader throws(ProtoDecodingError) in try reader.readString(varintTag) }, .failure(.wrongWireType(fieldNumber: 4, wireType: 0)))
        XCTAssertEqual(readResult([0x00]) { reader throws(ProtoDecodingError) in try reader.readBytes(varintTag) }, .failure(.wrongWireType(fieldNumber: 4, wireType: 0)))
        XCTAssertEqual(
            readResult([0x00]) { reader throws(ProtoDecodingError) -> Bool in _ = try reader.nestedReader(varintTag); return true },
            .failure(.wrongWireType(fieldNumber: 4, wireType: 0))
        )
    }

    func testSkipFieldWithoutKeepingDropsTheBytes() {
        let result = readResult([0x2A, 0x03, 0x61, 0x62, 0x63, 0x08, 0x07]) { reader throws(ProtoDecodingError) -> UInt64 in
            let unknown = try reader.nextTag()!
            try reader.skipField(unknown)
            let next = try reader.nextTag()!
            return try reader.readUInt64(next)
        }
        XCTAssertEqual(result, .success(7))
    }
}
