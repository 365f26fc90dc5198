@testable import HodeiCLI
import JobAPI
import XCTest

final class ProgressTextTests: XCTestCase {
    private func progress(percent: Double = 0, completed: UInt32 = 0, total: UInt32 = 0, step: String = "", message: String = "")
        -> Hodei_V1_Progress {
        var progress = Hodei_V1_Progress()
        progress.percent = percent
        progress.completedSteps = completed
        progress.totalSteps = total
        progress.currentStep = step
        progress.message = message
        return progress
    }

    func testPercentFallsBackToSteps() {
        XCTAssertEqual(ProgressText.percent(progress(percent: 40)), 40)
        XCTAssertEqual(ProgressText.percent(progress(completed: 1, total: 4)), 25)
        XCTAssertNil(ProgressText.percent(progress(message: "working")))
        XCTAssertEqual(ProgressText.percent(progress(percent: 250)), 100)
    }

    func testPlainLines() {
        XCTAssertEqual(ProgressText.plainLine(progress(percent: 40, completed: 2, total: 5, message: "msg")), "progress 40% step 2/5: msg")
        XCTAssertEqual(ProgressText.plainLine(progress(completed: 1, total: 4, step: "validate")), "progress 25% step 1/4 validate")
        XCTAssertEqual(ProgressText.plainLine(progress(message: "starting\nup")), "progress starting up")
        XCTAssertEqual(ProgressText.plainLine(progress()), "progress")
    }

    func testTheBarFitsItsWidth() {
        let bar = ProgressText.bar(progress(percent: 50, message: String(repeating: "m", count: 200)), width: 60)
        XCTAssertTrue(bar.hasPrefix("[##########----------] 50%: mmm"), bar)
        XCTAssertEqual(bar.count, 59)
        XCTAssertEqual(ProgressText.bar(progress(), width: 60), "[--------------------]")
    }
}
