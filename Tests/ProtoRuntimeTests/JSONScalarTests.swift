import Foundation
import ProtoRuntime
import XCTest

/// The proto3 JSON forms of scalar fields: 64-bit integers as strings, integral numbers in
/// any JSON spelling, non-finite floats as names, bytes as base64.
final class JSONScalarTests: XCTestCase {
    /// Encodes `value` inside a one-element array (JSON text must be an array or object).
    private func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode([value]), as: UTF8.self)
    }

    /// Decodes the single element of the JSON array `text`.
    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode([T].self, from: Data(text.utf8))[0]
    }

    private func assertRejected<T: Decodable>(_ type: T.Type, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try decode(type, text), "\(text) must be rejected as \(T.self)", file: file, line: line) { error in
            XCTAssertTrue(error is DecodingError, "\(error)", file: file, line: line)
        }
    }

    // MARK: 64-bit integers

    func testInt64EncodesAsAString() throws {
        XCTAssertEqual(try json(ProtoJSONInt64(0)), #"["0"]"#)
        XCTAssertEqual(try json(ProtoJSONInt64(Int64.max)), #"["9223372036854775807"]"#)
        XCTAssertEqual(try json(ProtoJSONInt64(Int64.min)), #"["-9223372036854775808"]"#)
        XCTAssertEqual(try json(ProtoJSONUInt64(UInt64.max)), #"["18446744073709551615"]"#)
    }

    func testInt64DecodesFromStringsAndNumbers() throws {
        XCTAssertEqual(try decode(ProtoJSONInt64.self, #"["9223372036854775807"]"#).value, Int64.max)
        XCTAssertEqual(try decode(ProtoJSONInt64.self, #"["-9223372036854775808"]"#).value, Int64.min)
        XCTAssertEqual(try decode(ProtoJSONInt64.self, "[9007199254740993]").value, 9_007_199_254_740_993)
        XCTAssertEqual(try decode(ProtoJSONInt64.self, "[-42]").value, -42)
        XCTAssertEqual(try decode(ProtoJSONUInt64.self, #"["18446744073709551615"]"#).value, UInt64.max)
        XCTAssertEqual(try decode(ProtoJSONUInt64.self, "[12]").value, 12)
    }

    func testInt64OutOfRangeIsRejected() {
        assertRejected(ProtoJSONInt64.self, #"["9223372036854775808"]"#)
        assertRejected(ProtoJSONUInt64.self, #"["18446744073709551616"]"#)
        assertRejected(ProtoJSONUInt64.self, #"["-1"]"#)
        assertRejected(ProtoJSONUInt64.self, "[-1]")
    }

    // MARK: 32-bit integers

    func testInt32AcceptsEveryIntegralSpelling() throws {
        XCTAssertEqual(try json(ProtoJSONInt32(-5)), "[-5]")
        XCTAssertEqual(try decode(ProtoJSONInt32.self, "[-5]").value, -5)
        XCTAssertEqual(try decode(ProtoJSONInt32.self, #"["-5"]"#).value, -5)
        XCTAssertEqual(try decode(ProtoJSONInt32.self, "[1e3]").value, 1000)
        XCTAssertEqual(try decode(ProtoJSONInt32.self, #"["1e3"]"#).value, 1000)
        XCTAssertEqual(try decode(ProtoJSONInt32.self, "[5.0]").value, 5)
        XCTAssertEqual(try decode(ProtoJSONInt32.self, "[-2147483648]").value, Int32.min)
        XCTAssertEqual(try decode(ProtoJSONUInt32.self, "[4294967295]").value, UInt32.max)
        XCTAssertEqual(try decode(ProtoJSONUInt32.self, #"["4294967295"]"#).value, UInt32.max)
    }

    func testNonIntegralNumbersAreRejectedForIntegers() {
        assertRejected(ProtoJSONInt32.self, "[1.5]")
        assertRejected(ProtoJSONInt32.self, #"["1.5"]"#)
        assertRejected(ProtoJSONInt32.self, "[1e-3]")
        assertRejected(ProtoJSONInt64.self, "[0.5]")
        assertRejected(ProtoJSONUInt64.self, #"["2.5"]"#)
    }

    func testIntegerOverflowIsRejected() {
        assertRejected(ProtoJSONInt32.self, "[2147483648]")
        assertRejected(ProtoJSONInt32.self, "[-2147483649]")
        assertRejected(ProtoJSONInt32.self, #"["2147483648"]"#)
        assertRejected(ProtoJSONUInt32.self, "[4294967296]")
        assertRejected(ProtoJSONUInt32.self, #"["4294967296"]"#)
        assertRejected(ProtoJSONUInt32.self, "[-1]")
        assertRejected(ProtoJSONInt32.self, "[1e10]")
    }

    func testIntegerStringsMustBeDecimalNumbers() {
        for text in [#"[""]"#, #"["abc"]"#, #"[" 1"]"#, #"["1 "]"#, #"["0x10"]"#, #"["NaN"]"#, #"["Infinity"]"#, "[true]", "[null]", "[[1]]"] {
            assertRejected(ProtoJSONInt32.self, text)
            assertRejected(ProtoJSONInt64.self, text)
        }
    }

    // MARK: Floating point

    func testNonFiniteFloatsUseNames() throws {
        XCTAssertEqual(try json(ProtoJSONDouble(.nan)), #"["NaN"]"#)
        XCTAssertEqual(try json(ProtoJSONDouble(.infinity)), #"["Infinity"]"#)
        XCTAssertEqual(try json(ProtoJSONDouble(-.infinity)), #"["-Infinity"]"#)
        XCTAssertEqual(try json(ProtoJSONFloat(.nan)), #"["NaN"]"#)
        XCTAssertEqual(try json(ProtoJSONFloat(-.infinity)), #"["-Infinity"]"#)
        XCTAssertTrue(try decode(ProtoJSONDouble.self, #"["NaN"]"#).value.isNaN)
        XCTAssertEqual(try decode(ProtoJSONDouble.self, #"["Infinity"]"#).value, .infinity)
        XCTAssertEqual(try decode(ProtoJSONDouble.self, #"["-Infinity"]"#).value, -.infinity)
        XCTAssertTrue(try decode(ProtoJSONFloat.self, #"["NaN"]"#).value.isNaN)
        XCTAssertEqual(try decode(ProtoJSONFloat.self, #"["-Infinity"]"#).value, -.infinity)
    }

    func testFiniteFloatsAreNumbersAndAcceptStrings() throws {
        XCTAssertEqual(try json(ProtoJSONDouble(1.5)), "[1.5]")
        XCTAssertEqual(try json(ProtoJSONDouble(0.1)), "[0.1]")
        XCTAssertEqual(try decode(ProtoJSONDouble.self, "[0.1]").value, 0.1)
        XCTAssertEqual(try decode(ProtoJSONDouble.self, #"["0.1"]"#).value, 0.1)
        XCTAssertEqual(try decode(ProtoJSONDouble.self, "[-1e300]").value, -1e300)
        XCTAssertEqual(try decode(ProtoJSONFloat.self, #"["1.5"]"#).value, 1.5)
        XCTAssertEqual(try decode(ProtoJSONFloat.self, "[3]").value, 3)
    }

    func testOnlyDecimalNumbersAndTheThreeNamesAreAcceptedAsFloatStrings() {
        for text in [#"["nan"]"#, #"["inf"]"#, #"["infinity"]"#, #"["-inf"]"#, #"["+Infinity"]"#, #"["1e400"]"#, #"[""]"#, #"["x"]"#, #"["0x1p4"]"#, #"[" 1"]"#] {
            assertRejected(ProtoJSONDouble.self, text)
        }
    }

    func testFloatOutOfRangeIsRejected() {
        assertRejected(ProtoJSONFloat.self, #"["1e39"]"#)
        assertRejected(ProtoJSONFloat.self, "[1e39]")
    }

    // MARK: Map keys

    func testMapKeysParseIntoKeyTypes() throws {
        XCTAssertEqual(try ProtoJSONMapKey.parse(ProtoJSONKey("-7"), as: Int32.self, codingPath: []), -7)
        XCTAssertEqual(try ProtoJSONMapKey.parse(ProtoJSONKey("18446744073709551615"), as: UInt64.self, codingPath: []), UInt64.max)
        XCTAssertEqual(try ProtoJSONMapKey.parse(ProtoJSONKey("true"), as: Bool.self, codingPath: []), true)
        XCTAssertEqual(try ProtoJSONMapKey.parse(ProtoJSONKey("false"), as: Bool.self, codingPath: []), false)
        XCTAssertThrowsError(try ProtoJSONMapKey.parse(ProtoJSONKey("1.0"), as: Int32.self, codingPath: []))
        XCTAssertThrowsError(try ProtoJSONMapKey.parse(ProtoJSONKey("2147483648"), as: Int32.self, codingPath: []))
        XCTAssertThrowsError(try ProtoJSONMapKey.parse(ProtoJSONKey("True"), as: Bool.self, codingPath: []))
        XCTAssertThrowsError(try ProtoJSONMapKey.parse(ProtoJSONKey("1"), as: Bool.self, codingPath: []))
    }
}
