import JobAPI
import ProtoRuntime
import XCTest
@testable import WorkerAgent

final class ProgressParserTests: XCTestCase {
    private func parse(_ text: String) -> Hodei_V1_Progress? {
        ProgressParser.parse(Array(text.utf8))
    }

    func testBareNumbers() {
        XCTAssertEqual(parse("40")?.percent, 40)
        XCTAssertEqual(parse("  12.5  ")?.percent, 12.5)
        XCTAssertEqual(parse("75%")?.percent, 75)
        XCTAssertEqual(parse("40 step 2 of 5")?.message, "step 2 of 5")
        XCTAssertEqual(parse("40\tcompressing\r")?.message, "compressing")
        XCTAssertEqual(parse("250")?.percent, 100, "clamped")
        XCTAssertEqual(parse("-3")?.percent, 0, "clamped")
    }

    func testJSONObjects() throws {
        let progress = try XCTUnwrap(parse(#"{"percent":40,"message":"step 2","currentStep":"build","totalSteps":5,"completedSteps":2}"#))
        XCTAssertEqual(progress.percent, 40)
        XCTAssertEqual(progress.message, "step 2")
        XCTAssertEqual(progress.currentStep, "build")
        XCTAssertEqual(progress.totalSteps, 5)
        XCTAssertEqual(progress.completedSteps, 2)
        let snake = try XCTUnwrap(parse(#"{"current_step":"x","failed_steps":1,"estimated_remaining":"30s","details":{"pages":"8"}}"#))
        XCTAssertEqual(snake.currentStep, "x")
        XCTAssertEqual(snake.failedSteps, 1)
        XCTAssertEqual(snake.estimatedRemaining?.seconds, 30)
        XCTAssertEqual(snake.details, ["pages": "8"])
        XCTAssertEqual(parse(#"{"percent":140}"#)?.percent, 100)
    }

    func testOtherLinesAreIgnored() {
        XCTAssertNil(parse(""))
        XCTAssertNil(parse("   "))
        XCTAssertNil(parse("hello 40"))
        XCTAssertNil(parse("nan"))
        XCTAssertNil(parse("inf"))
        XCTAssertNil(parse("0x10"))
        XCTAssertNil(parse("{not json"))
        XCTAssertNil(parse(#"{"percent":"lots"}"#))
    }
}
