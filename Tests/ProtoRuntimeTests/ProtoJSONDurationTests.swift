import ProtoRuntime
import XCTest

/// The JSON form of `google.protobuf.Duration`: seconds with an "s" suffix and 0, 3, 6 or
/// 9 fractional digits; seconds and nanos share a sign; at most ±315,576,000,000 s.
final class ProtoJSONDurationTests: XCTestCase {
    private func format(_ seconds: Int64, _ nanos: Int32 = 0) -> Result<String, ProtoJSONTime.FormatError> {
        do throws(ProtoJSONTime.FormatError) {
            return .success(try ProtoJSONTime.formatDuration(seconds: seconds, nanos: nanos))
        } catch {
            return .failure(error)
        }
    }

    private func parse(_ text: String) -> Result<[Int64], ProtoJSONTime.FormatError> {
        do throws(ProtoJSONTime.FormatError) {
            let (seconds, nanos) = try ProtoJSONTime.parseDuration(text)
            return .success([seconds, Int64(nanos)])
        } catch {
            return .failure(error)
        }
    }

    func testFormats() {
        XCTAssertEqual(format(0), .success("0s"))
        XCTAssertEqual(format(1, 500_000_000), .success("1.500s"))
        XCTAssertEqual(format(0, -500_000_000), .success("-0.500s"))
        XCTAssertEqual(format(-1, -500_000_000), .success("-1.500s"))
        XCTAssertEqual(format(3), .success("3s"))
        XCTAssertEqual(format(-3), .success("-3s"))
        XCTAssertEqual(format(0, 1_000), .success("0.000001s"))
        XCTAssertEqual(format(0, 1), .success("0.000000001s"))
        XCTAssertEqual(format(0, 10_000), .success("0.000010s"))
    }

    func testFormatsTheEndsOfTheRange() {
        XCTAssertEqual(ProtoJSONTime.maxDurationSeconds, 315_576_000_000)
        XCTAssertEqual(format(315_576_000_000), .success("315576000000s"))
        XCTAssertEqual(format(-315_576_000_000), .success("-315576000000s"))
        XCTAssertEqual(format(315_576_000_000, 999_999_999), .success("315576000000.999999999s"))
    }

    func testFormattingOutOfRangeThrows() {
        XCTAssertEqual(format(315_576_000_001), .failure(.outOfRange))
        XCTAssertEqual(format(-315_576_000_001), .failure(.outOfRange))
        XCTAssertEqual(format(0, 1_000_000_000), .failure(.outOfRange))
        XCTAssertEqual(format(0, -1_000_000_000), .failure(.outOfRange))
        XCTAssertEqual(format(1, -1), .failure(.outOfRange))
        XCTAssertEqual(format(-1, 1), .failure(.outOfRange))
    }

    func testFormattingExtremeWireValuesThrowsInsteadOfTrapping() {
        // Any value can arrive over the wire; encoding it to JSON must fail cleanly.
        XCTAssertEqual(format(Int64.min), .failure(.outOfRange))
        XCTAssertEqual(format(Int64.max), .failure(.outOfRange))
        XCTAssertEqual(format(0, Int32.min), .failure(.outOfRange))
        XCTAssertEqual(format(0, Int32.max), .failure(.outOfRange))
    }

    func testParses() {
        XCTAssertEqual(parse("0s"), .success([0, 0]))
        XCTAssertEqual(parse("1.5s"), .success([1, 500_000_000]))
        XCTAssertEqual(parse("-0.5s"), .success([0, -500_000_000]))
        XCTAssertEqual(parse("-1.5s"), .success([-1, -500_000_000]))
        XCTAssertEqual(parse("1.000000001s"), .success([1, 1]))
        XCTAssertEqual(parse("0.010s"), .success([0, 10_000_000]))
        XCTAssertEqual(parse("315576000000s"), .success([315_576_000_000, 0]))
        XCTAssertEqual(parse("-315576000000.999999999s"), .success([-315_576_000_000, -999_999_999]))
    }

    func testParsingOverTheMaximumThrowsOutOfRange() {
        XCTAssertEqual(parse("315576000001s"), .failure(.outOfRange))
        XCTAssertEqual(parse("-315576000001s"), .failure(.outOfRange))
        XCTAssertEqual(parse("99999999999999999999s"), .failure(.outOfRange))
    }

    func testMalformedTextIsRejected() {
        for text in ["", "s", "1", "1.5", ".5s", "-s", "--1s", "1.5S", "1.5 s", " 1s", "1,5s", "1.0000000001s", "1e3s", "0x10s", "1ss"] {
            guard case .failure = parse(text) else {
                XCTFail("\"\(text)\" must be rejected, parsed as \(parse(text))")
                continue
            }
        }
    }

    func testFormatThenParseIsIdentity() {
        for (seconds, nanos) in [(Int64(0), Int32(0)), (1, 1), (-1, -1), (42, 420_000_000), (-42, -420_000), (315_576_000_000, 999_999_999)] {
            guard case .success(let text) = format(seconds, nanos) else {
                XCTFail("(\(seconds), \(nanos)) must format")
                continue
            }
            XCTAssertEqual(parse(text), .success([seconds, Int64(nanos)]), text)
        }
    }
}
