import Foundation
import JobAPI
import ProtoRuntime
import XCTest

/// `hodei get` and `hodei cancel`.
final class GetAndCancelTests: CLITestCase {
    private func addFinishedJob() -> Hodei_V1_Job {
        var job = Hodei_V1_Job()
        job.id = "j-1"
        job.state = .failed
        job.attempt = 2
        job.workerId = "w-2"
        job.stateMessage = "exited with code 3"
        var spec = Hodei_V1_JobSpec()
        spec.argv = ["make", "report"]
        spec.name = "nightly"
        spec.maxAttempts = 3
        spec.priority = .high
        var resources = Hodei_V1_ResourceQuota()
        resources.cpuMillicores = 1500
        resources.memoryMb = 512
        spec.resources = resources
        job.spec = spec
        var progress = Hodei_V1_Progress()
        progress.totalSteps = 5
        progress.completedSteps = 2
        progress.failedSteps = 1
        progress.currentStep = "render"
        progress.message = "rendering page 8"
        job.progress = progress
        job.createdAt = FakeJobService.timestamp(secondsAgo: 600)
        job.finishedAt = FakeJobService.timestamp(secondsAgo: 60)
        var result = Hodei_V1_JobResult()
        result.termination = .exitCode(3)
        var duration = Google_Protobuf_Duration()
        duration.seconds = 95
        result.duration = duration
        job.result = result
        server.jobs.add(job)
        return job
    }

    func testGetPrintsAReadableBlock() async throws {
        _ = addFinishedJob()
        let output = try await hodei("get", "j-1")
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdoutText.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(9)), [
            "ID:          j-1",
            "Name:        nightly",
            "State:       FAILED (attempt 2 of 3)",
            "Message:     exited with code 3",
            "Priority:    HIGH",
            "Worker:      w-2",
            "Command:     make report",
            "Resources:   cpu 1.5, memory 512M",
            "Progress:    40%, 2/5 steps done (1 failed), current step render",
        ])
        XCTAssertTrue(lines.contains("Status:      rendering page 8"), output.stdoutText)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Created:     ") && $0.hasSuffix(" (10m ago)") }, output.stdoutText)
        XCTAssertTrue(lines.contains("Exit:        exit code 3"), output.stdoutText)
        XCTAssertTrue(lines.contains("Duration:    1m35s"), output.stdoutText)
    }

    func testGetJSONDecodesAsTheJob() async throws {
        let job = addFinishedJob()
        let output = try await hodei("get", "--json", "j-1")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try JSONDecoder().decode(Hodei_V1_Job.self, from: Data(output.stdout)), job)
        XCTAssertTrue(output.stdoutText.contains("\"state\" : \"JOB_STATE_FAILED\""), output.stdoutText)
    }

    func testCancelAQueuedJob() async throws {
        _ = try await hodei("submit", "--", "sleep", "60")
        let output = try await hodei("cancel", "j-1", "--reason", "no longer needed")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "j-1: cancelled\n")
        let request = try XCTUnwrap(server.jobs.recorded { $0.cancelRequests.first })
        XCTAssertEqual(request.jobId, "j-1")
        XCTAssertEqual(request.reason, "no longer needed")
    }

    func testCancelAFinishedJob() async throws {
        _ = addFinishedJob()
        let output = try await hodei("cancel", "j-1")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "j-1: already finished (FAILED)\n")
    }
}
