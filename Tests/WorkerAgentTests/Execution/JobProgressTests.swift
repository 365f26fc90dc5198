import JobAPI
import XCTest
@testable import WorkerAgent

/// Progress written by real jobs to HODEI_PROGRESS_FD.
final class JobProgressTests: XCTestCase {
    func testBothFormatsThroughFileDescriptorThree() async throws {
        let runner = JobRunner()
        let script = """
        echo "10 starting" >&$HODEI_PROGRESS_FD
        echo '{"percent":40,"message":"step 2","currentStep":"build","totalSteps":5,"completedSteps":2}' >&3
        echo 'not progress' >&3
        echo working
        printf '75%%' >&3
        """
        let (result, sink, _) = try await runner.run(runner.spec(["/bin/sh", "-c", script]))
        XCTAssertEqual(result.finalState, .succeeded)
        let progress = sink.progress
        XCTAssertEqual(progress.count, 3)
        XCTAssertEqual(progress.first?.percent, 10)
        XCTAssertEqual(progress.first?.message, "starting")
        XCTAssertEqual(progress.dropFirst().first?.currentStep, "build")
        XCTAssertEqual(progress.dropFirst().first?.totalSteps, 5)
        XCTAssertEqual(progress.dropFirst().first?.completedSteps, 2)
        XCTAssertEqual(progress.last?.percent, 75)
        XCTAssertEqual(sink.logs.map(\.text), ["working"], "progress lines are not log lines")
        let reports = sink.snapshot.compactMap { if case .progress(let report) = $0 { report } else { nil } }
        XCTAssertTrue(reports.allSatisfy { $0.timestamp != nil && $0.attempt == 1 && !$0.jobId.isEmpty })
    }

    func testOverlongProgressLinesAreDropped() async throws {
        let runner = JobRunner()
        let script = "head -c 100000 /dev/zero | tr '\\0' 5 >&3; echo >&3; echo 60 after >&3"
        let (_, sink, _) = try await runner.run(runner.spec(["/bin/sh", "-c", script]))
        XCTAssertEqual(sink.progress.map(\.percent), [60])
    }
}
