@testable import HodeiCLI
import Foundation
import ProtoRuntime
import XCTest

final class DurationTextTests: XCTestCase {
    func testParsing() {
        let cases: [(String, Duration?)] = [
            ("90", .seconds(90)), ("90s", .seconds(90)), ("5m", .seconds(300)), ("1h30m", .seconds(5400)),
            ("1.5s", .milliseconds(1500)), ("500ms", .milliseconds(500)), ("2d", .seconds(172_800)), ("0", .zero),
            (" 10S ", .seconds(10)), ("1h2m3s", .seconds(3723)),
            ("", nil), ("s", nil), ("-5s", nil), ("5x", nil), ("5 m", nil), ("1.2.3s", nil), ("nan", nil), ("1e30", nil), ("m5", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(DurationText.parse(text), expected, "'\(text)'")
        }
    }

    func testFormatting() {
        let cases: [(Duration, String)] = [
            (.zero, "0s"), (.milliseconds(250), "250ms"), (.milliseconds(1500), "1.5s"), (.seconds(9), "9s"), (.seconds(45), "45s"),
            (.seconds(60), "1m"), (.seconds(95), "1m35s"), (.seconds(3600), "1h"), (.seconds(7500), "2h5m"),
            (.seconds(90_061), "1d1h"), (.seconds(-5), "0s"),
        ]
        for (duration, expected) in cases {
            XCTAssertEqual(DurationText.format(duration), expected, "\(duration)")
        }
    }

    func testAges() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        func ago(_ seconds: Int64) -> Google_Protobuf_Timestamp {
            var timestamp = Google_Protobuf_Timestamp()
            timestamp.seconds = 1_000_000 - seconds
            return timestamp
        }
        XCTAssertEqual(DurationText.age(of: ago(0), now: now), "0s")
        XCTAssertEqual(DurationText.age(of: ago(59), now: now), "59s")
        XCTAssertEqual(DurationText.age(of: ago(60), now: now), "1m")
        XCTAssertEqual(DurationText.age(of: ago(3599), now: now), "59m")
        XCTAssertEqual(DurationText.age(of: ago(7200), now: now), "2h")
        XCTAssertEqual(DurationText.age(of: ago(3 * 86400 + 5), now: now), "3d")
        XCTAssertEqual(DurationText.age(of: ago(-30), now: now), "0s")
        XCTAssertEqual(DurationText.age(of: nil, now: now), "-")
    }

    func testProtoConversionKeepsNanoseconds() {
        let proto = DurationText.proto(.milliseconds(1500))
        XCTAssertEqual(proto.seconds, 1)
        XCTAssertEqual(proto.nanos, 500_000_000)
        XCTAssertEqual(DurationText.format(proto), "1.5s")
    }
}
