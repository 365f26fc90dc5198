import RPCCore
import XCTest

final class GRPCTimeoutTests: XCTestCase {
    func testParsesEveryUnit() {
        XCTAssertEqual(GRPCTimeout(headerValue: "1H")?.nanoseconds, 3_600_000_000_000)
        XCTAssertEqual(GRPCTimeout(headerValue: "2M")?.nanoseconds, 120_000_000_000)
        XCTAssertEqual(GRPCTimeout(headerValue: "3S")?.nanoseconds, 3_000_000_000)
        XCTAssertEqual(GRPCTimeout(headerValue: "4m")?.nanoseconds, 4_000_000)
        XCTAssertEqual(GRPCTimeout(headerValue: "5u")?.nanoseconds, 5_000)
        XCTAssertEqual(GRPCTimeout(headerValue: "99999999n")?.nanoseconds, 99_999_999)
    }

    func testRejectsMalformedValues() {
        for bad in ["", "S", "1", "1s", "123456789S", "-1S", "1.5S", " 1S"] {
            XCTAssertNil(GRPCTimeout(headerValue: bad), bad)
        }
    }

    func testFormatsWithAtMostEightDigitsRoundingUp() {
        XCTAssertEqual(GRPCTimeout(nanoseconds: 500).headerValue, "500n")
        XCTAssertEqual(GRPCTimeout(.seconds(1)).headerValue, "1000000u")
        XCTAssertEqual(GRPCTimeout(.seconds(100)).headerValue, "100000m")
        XCTAssertEqual(GRPCTimeout(nanoseconds: 100_000_000_001).headerValue, "100001m")
        XCTAssertEqual(GRPCTimeout(.seconds(86_400 * 365)).headerValue, "31536000S")
        for nanos: Int64 in [1, 999, 1_000_001, 123_456_789_123, 9_000_000_000_000_000] {
            let timeout = GRPCTimeout(nanoseconds: nanos)
            let parsed = GRPCTimeout(headerValue: timeout.headerValue)!
            XCTAssertLessThanOrEqual(timeout.headerValue.count, 9)
            XCTAssertGreaterThanOrEqual(parsed.nanoseconds, nanos, "never shortened")
        }
    }
}
