@testable import HodeiCLI
import XCTest

final class QuantitiesTests: XCTestCase {
    func testMemory() {
        let cases: [(String, UInt32?)] = [
            ("512", 512), ("512M", 512), ("512Mi", 512), ("512MB", 512), ("2G", 2048), ("1.5Gi", 1536), ("1T", 1_048_576),
            ("2g", 2048), ("", nil), ("G", nil), ("5X", nil), ("-1G", nil), ("9999999T", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(Quantities.parseMegabytes(text), expected, "'\(text)'")
        }
    }

    func testCPU() {
        XCTAssertEqual(Quantities.parseMillicores("2"), 2000)
        XCTAssertEqual(Quantities.parseMillicores("500m"), 500)
        XCTAssertEqual(Quantities.parseMillicores("1.5"), 1500)
        XCTAssertEqual(Quantities.parseMillicores("0.25"), 250)
        XCTAssertNil(Quantities.parseMillicores("-1"))
        XCTAssertNil(Quantities.parseMillicores("two"))
        XCTAssertNil(Quantities.parseMillicores("m"))
        XCTAssertEqual(Quantities.formatMillicores(250), "250m")
        XCTAssertEqual(Quantities.formatMillicores(2000), "2")
        XCTAssertEqual(Quantities.formatMillicores(1500), "1.5")
    }

    func testFormatting() {
        XCTAssertEqual(Quantities.formatMegabytes(512), "512M")
        XCTAssertEqual(Quantities.formatMegabytes(1536), "1.5G")
        XCTAssertEqual(Quantities.formatMegabytes(8192), "8G")
        XCTAssertEqual(Quantities.formatMegabytes(3 << 20), "3T")
        XCTAssertEqual(Quantities.formatPercent(37.4), "37%")
        XCTAssertEqual(Quantities.formatPercent(0.25), "0.3%")
        XCTAssertEqual(Quantities.formatPercent(0), "0%")
    }
}
