import ProtoRuntime
import XCTest

/// The RFC 3339 form of `google.protobuf.Timestamp`: "Z"-normalized output with 0, 3, 6 or
/// 9 fractional digits; offsets accepted on input; range 0001-01-01 to 9999-12-31.
final class ProtoJSONTimestampTests: XCTestCase {
    private func format(_ seconds: Int64, _ nanos: Int32 = 0) -> Result<String, ProtoJSONTime.FormatError> {
        do throws(ProtoJSONTime.FormatError) {
            return .success(try ProtoJSONTime.formatTimestamp(seconds: seconds, nanos: nanos))
        } catch {
            return .failure(error)
        }
    }

    private func parse(_ text: String) -> Result<[Int64], ProtoJSONTime.FormatError> {
        do throws(ProtoJSONTime.FormatError) {
            let (seconds, nanos) = try ProtoJSONTime.parseTimestamp(text)
            return .success([seconds, Int64(nanos)])
        } catch {
            return .failure(error)
        }
    }

    private func assertInvalid(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard case .failure = parse(text) else {
            return XCTFail("\"\(text)\" must be rejected, parsed as \(parse(text))", file: file, line: line)
        }
    }

    func testRangeConstants() {
        XCTAssertEqual(ProtoJSONTime.minTimestampSeconds, -62_135_596_800)
        XCTAssertEqual(ProtoJSONTime.maxTimestampSeconds, 253_402_300_799)
    }

    func testFormatsKnownInstants() {
        XCTAssertEqual(format(0), .success("1970-01-01T00:00:00Z"))
        XCTAssertEqual(format(1_484_443_815, 10_000_000), .success("2017-01-15T01:30:15.010Z"))
        XCTAssertEqual(format(951_782_400), .success("2000-02-29T00:00:00Z"))
        XCTAssertEqual(format(-2_203_891_200), .success("1900-03-01T00:00:00Z"))
        XCTAssertEqual(format(-86_400), .success("1969-12-31T00:00:00Z"))
        XCTAssertEqual(format(-1, 500_000_000), .success("1969-12-31T23:59:59.500Z"))
    }

    func testFormatsTheEndsOfTheRange() {
        XCTAssertEqual(format(-62_135_596_800), .success("0001-01-01T00:00:00Z"))
        XCTAssertEqual(format(253_402_300_799, 999_999_999), .success("9999-12-31T23:59:59.999999999Z"))
    }

    func testFormattingOutOfRangeThrows() {
        XCTAssertEqual(format(-62_135_596_801), .failure(.outOfRange))
        XCTAssertEqual(format(253_402_300_800), .failure(.outOfRange))
        XCTAssertEqual(format(Int64.min), .failure(.outOfRange))
        XCTAssertEqual(format(Int64.max), .failure(.outOfRange))
        XCTAssertEqual(format(0, -1), .failure(.outOfRange))
        XCTAssertEqual(format(0, 1_000_000_000), .failure(.outOfRange))
        XCTAssertEqual(format(0, Int32.min), .failure(.outOfRange))
    }

    func testFractionHasZeroThreeSixOrNineDigits() {
        XCTAssertEqual(format(0, 0), .success("1970-01-01T00:00:00Z"))
        XCTAssertEqual(format(0, 100_000_000), .success("1970-01-01T00:00:00.100Z"))
        XCTAssertEqual(format(0, 1_000_000), .success("1970-01-01T00:00:00.001Z"))
        XCTAssertEqual(format(0, 123_456_000), .success("1970-01-01T00:00:00.123456Z"))
        XCTAssertEqual(format(0, 1_000), .success("1970-01-01T00:00:00.000001Z"))
        XCTAssertEqual(format(0, 123_456_789), .success("1970-01-01T00:00:00.123456789Z"))
        XCTAssertEqual(format(0, 1), .success("1970-01-01T00:00:00.000000001Z"))
    }

    func testParsesCanonicalForms() {
        XCTAssertEqual(parse("1970-01-01T00:00:00Z"), .success([0, 0]))
        XCTAssertEqual(parse("2017-01-15T01:30:15.01Z"), .success([1_484_443_815, 10_000_000]))
        XCTAssertEqual(parse("0001-01-01T00:00:00Z"), .success([-62_135_596_800, 0]))
        XCTAssertEqual(parse("9999-12-31T23:59:59.999999999Z"), .success([253_402_300_799, 999_999_999]))
        XCTAssertEqual(parse("1969-12-31T23:59:59.5Z"), .success([-1, 500_000_000]))
        XCTAssertEqual(parse("1970-01-01T00:00:00.000000001Z"), .success([0, 1]))
    }

    func testParsesOffsetsIntoUTC() {
        XCTAssertEqual(parse("1970-01-01T01:00:00+01:00"), .success([0, 0]))
        XCTAssertEqual(parse("1969-12-31T23:00:00-01:00"), .success([0, 0]))
        XCTAssertEqual(parse("1970-01-01T05:30:00+05:30"), .success([0, 0]))
        XCTAssertEqual(parse("1970-01-01T00:00:00.25+00:00"), .success([0, 250_000_000]))
        XCTAssertEqual(parse("1970-01-01T00:00:00-00:00"), .success([0, 0]))
    }

    func testLowercaseSeparatorsAreAcceptedAsRFC3339Allows() {
        XCTAssertEqual(parse("1970-01-01t00:00:00z"), .success([0, 0]))
        XCTAssertEqual(parse("1970-01-01T00:00:00z"), .success([0, 0]))
    }

    func testCalendarValidation() {
        assertInvalid("2023-02-29T00:00:00Z")
        assertInvalid("1900-02-29T00:00:00Z")
        XCTAssertEqual(parse("2000-02-29T00:00:00Z"), .success([951_782_400, 0]))
        XCTAssertEqual(parse("2024-02-29T00:00:00Z"), .success([1_709_164_800, 0]))
        assertInvalid("2023-04-31T00:00:00Z")
        assertInvalid("2023-13-01T00:00:00Z")
        assertInvalid("2023-00-01T00:00:00Z")
        assertInvalid("2023-01-00T00:00:00Z")
        assertInvalid("2023-01-32T00:00:00Z")
        assertInvalid("2023-01-01T24:00:00Z")
        assertInvalid("2023-01-01T23:60:00Z")
        assertInvalid("2023-01-01T23:59:60Z")
    }

    func testMalformedTextIsRejected() {
        for text in [
            "", "1970-01-01", "1970-01-01T00:00:00", "1970-01-01 00:00:00Z", "1970-1-01T00:00:00Z",
            "70-01-01T00:00:00Z", "+1970-01-01T00:00:00Z", "1970-01-01T00:00:00.Z", "1970-01-01T00:00:00.1234567890Z",
            "1970-01-01T00:00:00ZZ", "1970-01-01T00:00:00Z ", " 1970-01-01T00:00:00Z", "1970-01-01T00:00:00+0100",
            "1970-01-01T00:00:00+01", "1970-01-01T00:00:00+24:00", "1970-01-01T00:00:00+01:60", "1970-01-01T00:00:00UTC",
            "1970-01-01T0a:00:00Z", "10000-01-01T00:00:00Z",
        ] {
            assertInvalid(text)
        }
    }

    func testParsingOutOfRangeThrowsOutOfRange() {
        XCTAssertEqual(parse("0000-12-31T23:59:59Z"), .failure(.outOfRange))
        XCTAssertEqual(parse("0001-01-01T00:00:00+00:01"), .failure(.outOfRange))
        XCTAssertEqual(parse("9999-12-31T23:59:59-00:01"), .failure(.outOfRange))
        XCTAssertEqual(parse("0001-01-01T00:59:59+01:00"), .failure(.outOfRange))
        XCTAssertEqual(parse("0001-01-01T01:00:00+01:00"), .success([-62_135_596_800, 0]))
    }

    func testFormatThenParseIsIdentityAcrossTheRange() {
        var seconds = ProtoJSONTime.minTimestampSeconds
        let step: Int64 = 9_876_543_211
        while seconds <= ProtoJSONTime.maxTimestampSeconds {
            for nanos: Int32 in [0, 7_000_000, 999_999_999] {
                guard case .success(let text) = format(seconds, nanos) else {
                    XCTFail("\(seconds) must format")
                    return
                }
                XCTAssertEqual(parse(text), .success([seconds, Int64(nanos)]), text)
            }
            seconds += step
        }
    }
}
