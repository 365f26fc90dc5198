import Foundation
import Glibc
import JobAPI
import RPCTransportHTTP2
import XCTest
@testable import WorkerAgent

/// The `hodei-agent` executable itself: flags and environment, a job, SIGTERM → drain → exit 0.
final class AgentBinaryTests: XCTestCase {
    private func agentBinary() throws -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let path = directory.appendingPathComponent("hodei-agent").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("hodei-agent is not built next to the test runner (\(path))")
        }
        return path
    }

    func testTheCommandRunsAJobAndDrainsOnSIGTERM() async throws {
        let binary = try agentBinary()
        let agentPid = LockedValue<pid_t>(0)
        let seen = AgentSessionStreamTests.Seen()
        let service = FakeWorkerService { _, stream in
            seen.attach(try await stream.expectAttach())
            try await stream.sendAttachAck(lastReceived: 0)
            try await stream.sendAssign(JobKey(jobId: "cli-job", attempt: 1), argv: ["echo", "hello from the agent"])
            seen.record(0, try await stream.acknowledgeUntil { if case .result = $0.kind { true } else { false } })
            kill(agentPid.value, SIGTERM)
            seen.record(0, try await stream.acknowledgeUntil { if case .drain = $0.kind { true } else { false } })
            let end = try await stream.next()
            XCTAssertNil(end)
        }
        let (server, port) = try await service.serve()

        let plan = LaunchPlan(
            executable: binary,
            arguments: ["hodei-agent", "--server", "127.0.0.1:\(port)", "--name", "cli-worker", "--label", "os=linux",
                        "--max-jobs", "2", "--log-level", "debug"],
            environment: ["HODEI_TOKEN=\(service.expectedToken)", "HODEI_LABELS=ignored=1", "HODEI_MEMORY_MB=512",
                          "PATH=/usr/local/bin:/usr/bin:/bin"],
            workingDirectory: FileManager.default.temporaryDirectory.path)
        let sink = RecordingSink()
        let agent = JobProcess(key: JobKey(jobId: "agent", attempt: 1), plan: plan, timeout: .seconds(60), options: JobRunOptions(), sink: sink)
        try agent.start()
        agentPid.value = agent.pid
        agent.pumpOutput()
        let result = try await withDeadline(.seconds(90)) { await agent.result() }
        try? await server.shutdown(gracePeriod: .seconds(1))
        let stderr = sink.logs.filter { $0.stream == .stderr }.map(\.text)

        XCTAssertEqual(result.termination, .exitCode(0), stderr.suffix(20).joined(separator: "\n"))
        let registration = try XCTUnwrap(service.registrations.first)
        XCTAssertEqual(registration.name, "cli-worker")
        XCTAssertEqual(registration.capabilities?.labels, ["os": "linux"])
        XCTAssertEqual(registration.capabilities?.maxConcurrentJobs, 2)
        XCTAssertEqual(registration.capabilities?.total?.memoryMb, 512)
        let messages = seen.stream(0)
        let lines = messages.compactMap { if case .log(let entry) = $0.kind { entry.text } else { nil } }
        XCTAssertEqual(lines, ["hello from the agent"])
        XCTAssertTrue(stderr.contains { $0.contains("worker_id=worker-1") && $0.contains("job_id=cli-job") }, "structured logs carry ids")
        XCTAssertTrue(stderr.contains { $0.contains("SIGTERM received") })
    }
}
