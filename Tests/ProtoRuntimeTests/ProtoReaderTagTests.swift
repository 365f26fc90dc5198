import ProtoRuntime
import XCTest

/// Field keys: field numbers, wire types, and the keys the reader must refuse.
final class ProtoReaderTagTests: XCTestCase {
    private func tag(_ bytes: [UInt8]) -> Result<FieldTag?, ProtoDecodingError> {
        readResult(bytes) { reader throws(ProtoDecodingError) in try reader.nextTag() }
    }

    func testEmptyInputHasNoTag() {
        XCTAssertEqual(tag([]), .success(nil))
    }

    func testEveryValidWireType() {
        XCTAssertEqual(tag([0x08]), .success(FieldTag(fieldNumber: 1, wireType: .varint)))
        XCTAssertEqual(tag([0x11]), .success(FieldTag(fieldNumber: 2, wireType: .fixed64)))
        XCTAssertEqual(tag([0x1A]), .success(FieldTag(fieldNumber: 3, wireType: .lengthDelimited)))
        XCTAssertEqual(tag([0x23]), .success(FieldTag(fieldNumber: 4, wireType: .startGroup)))
        XCTAssertEqual(tag([0x2C]), .success(FieldTag(fieldNumber: 5, wireType: .endGroup)))
        XCTAssertEqual(tag([0x35]), .success(FieldTag(fieldNumber: 6, wireType: .fixed32)))
    }

    func testMultiByteFieldNumbers() {
        XCTAssertEqual(tag([0x80, 0x01]), .success(FieldTag(fieldNumber: 16, wireType: .varint)))
        XCTAssertEqual(tag([0xF8, 0xFF, 0xFF, 0xFF, 0x0F]), .success(FieldTag(fieldNumber: 536_870_911, wireType: .varint)))
        XCTAssertEqual(FieldTag.maxFieldNumber, 536_870_911)
    }

    func testFieldNumberZeroIsInvalid() {
        XCTAssertEqual(tag([0x00]), .failure(.invalidTag))
        XCTAssertEqual(tag([0x02]), .failure(.invalidTag))
        XCTAssertEqual(tag([0x80, 0x00]), .failure(.invalidTag))
    }

    func testWireTypesSixAndSevenAreInvalid() {
        XCTAssertEqual(tag([0x0E]), .failure(.invalidTag))
        XCTAssertEqual(tag([0x0F]), .failure(.invalidTag))
        XCTAssertEqual(tag([0xFE, 0xFF, 0xFF, 0xFF, 0x0F]), .failure(.invalidTag))
    }

    func testFieldNumberAboveTheMaximumIsInvalid() {
        // 2^29 << 3 = 2^32.
        XCTAssertEqual(tag([0x80, 0x80, 0x80, 0x80, 0x10]), .failure(.invalidTag))
        // A key as large as a varint can hold.
        XCTAssertEqual(tag([0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), .failure(.invalidTag))
    }

    func testTruncatedAndMalformedKeys() {
        XCTAssertEqual(tag([0x80]), .failure(.truncated))
        XCTAssertEqual(tag([0xF8, 0xFF, 0xFF, 0xFF]), .failure(.truncated))
        XCTAssertEqual(tag([UInt8](repeating: 0x88, count: 10) + [0x01]), .failure(.malformedVarint))
    }

    func testInvalidKeysFailWholeMessages() {
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x08, 0x01, 0x00]), .invalidTag)
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x0F, 0x01]), .invalidTag)
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x80, 0x80, 0x80, 0x80, 0x10, 0x00]), .invalidTag)
        XCTAssertEqual(decodeError(TestRecord.self, lengthDelimited(field: 8, [0x0E, 0x00])), .invalidTag)
    }

    func testLargestFieldNumberIsKeptAsAnUnknownField() {
        let bytes: [UInt8] = [0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x2A]
        guard case .success(let empty) = decodeResult(Google_Protobuf_Empty.self, bytes) else {
            return XCTFail("field 536870911 must decode")
        }
        XCTAssertEqual(empty.unknownFields.bytes, bytes)
    }
}
