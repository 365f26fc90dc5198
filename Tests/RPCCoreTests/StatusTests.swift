import RPCCore
import XCTest

final class StatusTests: XCTestCase {
    func testCodesHaveTheirWireNumbersAndNames() {
        XCTAssertEqual(Status.Code.allCases.count, 17)
        XCTAssertEqual(Status.Code.unauthenticated.rawValue, 16)
        XCTAssertEqual(Status.Code.deadlineExceeded.description, "DEADLINE_EXCEEDED")
        XCTAssertEqual(Status.Code(wireValue: 99), .unknown)
        XCTAssertEqual(Status.Code(wireValue: -1), .unknown)
    }

    func testHTTPStatusMapping() {
        XCTAssertEqual(Status.fromHTTPStatus(404).code, .unimplemented)
        XCTAssertEqual(Status.fromHTTPStatus(503).code, .unavailable)
        XCTAssertEqual(Status.fromHTTPStatus(401).code, .unauthenticated)
        XCTAssertEqual(Status.fromHTTPStatus(418).code, .unknown)
    }

    func testStatusMessagePercentEncoding() {
        XCTAssertEqual(StatusMessageEncoding.encode("job 42 not found"), "job 42 not found")
        XCTAssertEqual(StatusMessageEncoding.encode("100%\n"), "100%25%0A")
        XCTAssertEqual(StatusMessageEncoding.encode("ñ"), "%C3%B1")
        let special = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
        XCTAssertEqual(StatusMessageEncoding.decode(StatusMessageEncoding.encode(special)), special)
    }

    func testStatusMessageDecodingIsLenient() {
        XCTAssertEqual(StatusMessageEncoding.decode("50%"), "50%")
        XCTAssertEqual(StatusMessageEncoding.decode("%zz ok"), "%zz ok")
        XCTAssertEqual(StatusMessageEncoding.decode("%FF"), "\u{FFFD}")
    }
}
