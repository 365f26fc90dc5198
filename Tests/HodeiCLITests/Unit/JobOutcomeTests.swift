@testable import HodeiCLI
import JobAPI
import XCTest

final class JobOutcomeTests: XCTestCase {
    private func outcome(_ state: Hodei_V1_JobState, _ termination: Hodei_V1_JobResult.Termination?, error: String = "",
                         message: String = "") -> JobOutcome {
        var result = Hodei_V1_JobResult()
        result.termination = termination
        result.errorMessage = error
        return JobOutcome(jobID: "j-1", state: state, result: termination == nil && error.isEmpty ? nil : result, stateMessage: message)
    }

    func testExitCodesAndSignals() {
        XCTAssertEqual(outcome(.succeeded, .exitCode(0)), JobOutcome(exitStatus: 0, message: nil))
        XCTAssertEqual(outcome(.succeeded, nil), JobOutcome(exitStatus: 0, message: nil))
        XCTAssertEqual(outcome(.failed, .exitCode(3)), JobOutcome(exitStatus: 3, message: nil))
        XCTAssertEqual(outcome(.failed, .exitCode(300)).exitStatus, 1)
        XCTAssertEqual(outcome(.failed, .exitCode(-2)).exitStatus, 1)
        XCTAssertEqual(outcome(.failed, .exitCode(0)).exitStatus, 1)
        XCTAssertEqual(outcome(.failed, .signal(9)), JobOutcome(exitStatus: 137, message: "job j-1 was killed by signal 9 (SIGKILL)"))
        XCTAssertEqual(outcome(.failed, .signal(64)).exitStatus, 192)
    }

    func testEndingsWithoutAnExitCode() {
        XCTAssertEqual(outcome(.cancelled, .signal(15), message: "cancelled: done"),
                       JobOutcome(exitStatus: 130, message: "job j-1 was cancelled: cancelled: done"))
        XCTAssertEqual(outcome(.timedOut, .signal(9), message: "timeout of 30s\nexceeded"),
                       JobOutcome(exitStatus: 1, message: "job j-1 timed out: timeout of 30s; exceeded"))
        XCTAssertEqual(outcome(.failed, nil, error: "spawn failed: ENOENT"),
                       JobOutcome(exitStatus: 1, message: "job j-1 failed: spawn failed: ENOENT"))
        XCTAssertEqual(outcome(.lost, nil), JobOutcome(exitStatus: 1, message: "job j-1 was lost: its worker failed on the last attempt"))
    }
}
