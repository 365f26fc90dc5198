import Foundation
import ProtoRuntime
import XCTest

/// `bytes` as base64 (standard on output; standard or URL-safe, padded or not, on input)
/// and enums as value names.
final class JSONBytesAndEnumTests: XCTestCase {
    private func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode([value]), as: UTF8.self)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode([T].self, from: Data(text.utf8))[0]
    }

    private func bytes(_ base64: String) throws -> [UInt8] {
        try decode(ProtoJSONBytes.self, "[\"\(base64)\"]").value
    }

    // MARK: Bytes

    func testBytesEncodeAsPaddedStandardBase64() throws {
        XCTAssertEqual(try json(ProtoJSONBytes([])), #"[""]"#)
        XCTAssertEqual(try json(ProtoJSONBytes(Array("f".utf8))), #"["Zg=="]"#)
        XCTAssertEqual(try json(ProtoJSONBytes(Array("fo".utf8))), #"["Zm8="]"#)
        XCTAssertEqual(try json(ProtoJSONBytes(Array("foo".utf8))), #"["Zm9v"]"#)
        XCTAssertEqual(try json(ProtoJSONBytes(Array("foobar".utf8))), #"["Zm9vYmFy"]"#)
        // "+" and "/" come out of the standard alphabet (JSONEncoder may escape the slash).
        let encoded = try json(ProtoJSONBytes([0xFB, 0xFF]))
        XCTAssertTrue(encoded == #"["+/8="]"# || encoded == #"["+\/8="]"#, encoded)
    }

    func testBytesDecodeStandardAndURLSafeWithOrWithoutPadding() throws {
        XCTAssertEqual(try bytes(""), [])
        XCTAssertEqual(try bytes("Zg=="), Array("f".utf8))
        XCTAssertEqual(try bytes("Zg"), Array("f".utf8))
        XCTAssertEqual(try bytes("Zm8="), Array("fo".utf8))
        XCTAssertEqual(try bytes("Zm8"), Array("fo".utf8))
        XCTAssertEqual(try bytes("Zm9vYmFy"), Array("foobar".utf8))
        XCTAssertEqual(try bytes("+/8="), [0xFB, 0xFF])
        XCTAssertEqual(try bytes("-_8="), [0xFB, 0xFF])
        XCTAssertEqual(try bytes("-_8"), [0xFB, 0xFF])
        XCTAssertEqual(try bytes("++++"), [0xFB, 0xEF, 0xBE])
        XCTAssertEqual(try bytes("----"), [0xFB, 0xEF, 0xBE])
    }

    func testEveryByteValueRoundTrips() throws {
        let all = (0...255).map(UInt8.init)
        for length in [0, 1, 2, 3, 4, 255, 256] {
            let value = Array(all.prefix(length))
            let text = try json(ProtoJSONBytes(value))
            XCTAssertEqual(try decode(ProtoJSONBytes.self, text).value, value, "length \(length)")
        }
    }

    func testInvalidBase64IsRejected() {
        for text in ["Z", "Zm9vZ", "Zm9v!", "Zg==Zg==", "Z===", "====", "Zg=x", "é"] {
            XCTAssertThrowsError(try bytes(text), "\(text) is not base64")
        }
        XCTAssertThrowsError(try decode(ProtoJSONBytes.self, "[12]"))
    }

    // MARK: Enums

    func testEnumEncodesAsItsNameOrItsNumber() throws {
        XCTAssertEqual(try json(TestColor.red), #"["COLOR_RED"]"#)
        XCTAssertEqual(try json(TestColor.crimson), #"["COLOR_RED"]"#)
        XCTAssertEqual(try json(TestColor.unrecognized(7)), "[7]")
        XCTAssertEqual(try json(TestColor.blue), #"["COLOR_BLUE"]"#)
    }

    func testEnumDecodesNamesAliasesAndNumbers() throws {
        XCTAssertEqual(try decode(TestColor.self, #"["COLOR_BLUE"]"#), .blue)
        XCTAssertEqual(try decode(TestColor.self, #"["COLOR_CRIMSON"]"#), .red)
        XCTAssertEqual(try decode(TestColor.self, "[1]"), .red)
        XCTAssertEqual(try decode(TestColor.self, "[-2]"), .blue)
        XCTAssertEqual(try decode(TestColor.self, "[42]"), .unrecognized(42))
    }

    func testUnknownEnumNameIsRejected() {
        XCTAssertThrowsError(try decode(TestColor.self, #"["COLOR_GREEN"]"#))
        XCTAssertThrowsError(try decode(TestColor.self, #"["color_red"]"#))
        XCTAssertThrowsError(try decode(TestColor.self, "[1.5]"))
    }

    func testEnumDefaultIsTheZeroValue() {
        XCTAssertEqual(TestColor(), .unspecified)
        XCTAssertEqual(TestColor(rawValue: 1).rawValue, 1)
        XCTAssertEqual(TestColor(rawValue: -9).rawValue, -9)
    }
}
