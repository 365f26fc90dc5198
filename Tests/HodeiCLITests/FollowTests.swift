import Foundation
import JobAPI
import XCTest

/// `hodei submit --follow`: live output, progress, resuming, and the job's status as ours.
final class FollowTests: CLITestCase {
    private func running() -> EventScript {
        var script = EventScript(jobID: "j-1")
        script.state(.queued, .assigned, reason: "assigned by scheduler")
        script.state(.assigned, .running)
        return script
    }

    func testLogsGoToTheirStreamsInOrderAndTheExitCodeIsTheJobs() async throws {
        var script = running()
        script.log(.stdout, "line 1")
        script.log(.stderr, "warning: disk almost full")
        script.log(.stdout, "par", partial: true)
        script.log(.stdout, "tial")
        script.progress(percent: 40, completed: 2, total: 5, message: "extracting")
        script.log(.stdout, [0xFF, 0x00, 0xFE])
        script.log(.system, "agent: cgroup limits applied")
        script.finish(.failed, termination: .exitCode(3))
        server.jobs.scriptForNextJob(.init(events: script.events))

        let output = try await hodei("submit", "--follow", "--", "sh", "-c", "exit 3")

        XCTAssertEqual(output.status, 3, output.stderr)
        XCTAssertEqual(output.stdout, Array("line 1\npartial\n".utf8) + [0xFF, 0x00, 0xFE, 0x0A])
        XCTAssertEqual(output.stderr, """
            hodei: job j-1 submitted
            warning: disk almost full
            progress 40% step 2/5: extracting
            hodei: agent: cgroup limits applied

            """)
        let watch = try XCTUnwrap(server.jobs.recorded { $0.watchRequests.first })
        XCTAssertEqual(watch.jobId, "j-1")
        XCTAssertTrue(watch.includeLogs)
        XCTAssertEqual(watch.fromSequence, 1)
    }

    func testSuccessExitsZero() async throws {
        var script = running()
        script.log(.stdout, "done")
        script.finish(.succeeded, termination: .exitCode(0))
        server.jobs.scriptForNextJob(.init(events: script.events))
        let output = try await hodei("submit", "-f", "--", "true")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "done\n")
        XCTAssertEqual(output.stderr, "hodei: job j-1 submitted\n")
    }

    func testASignalGives128PlusItsNumber() async throws {
        var script = running()
        script.finish(.failed, termination: .signal(9))
        server.jobs.scriptForNextJob(.init(events: script.events))
        let output = try await hodei("submit", "--follow", "--", "sleep", "100")
        XCTAssertEqual(output.status, 137, output.stderr)
        XCTAssertTrue(output.stderr.hasSuffix("hodei: job j-1 was killed by signal 9 (SIGKILL)\n"), output.stderr)
    }

    func testEndingsWithoutAnExitCode() async throws {
        let cases: [(Hodei_V1_JobState, Hodei_V1_JobResult.Termination?, String, Int32, String)] = [
            (.cancelled, .signal(15), "cancelled: no longer needed", 130, "hodei: job j-1 was cancelled: cancelled: no longer needed\n"),
            (.timedOut, .signal(9), "timeout of 30s exceeded", 1, "hodei: job j-1 timed out: timeout of 30s exceeded\n"),
            (.failed, nil, "", 1, "hodei: job j-1 failed: spawn failed: No such file or directory\n"),
        ]
        for (index, (state, termination, reason, status, lastLine)) in cases.enumerated() {
            let id = "j-\(index + 1)"
            var script = EventScript(jobID: id)
            script.state(.queued, .running)
            script.finish(state, termination: termination, error: termination == nil ? "spawn failed: No such file or directory" : "",
                          reason: reason)
            server.jobs.scriptForNextJob(.init(events: script.events))
            let output = try await hodei("submit", "--follow", "--", "job")
            XCTAssertEqual(output.status, status, "\(state): \(output.stderr)")
            XCTAssertTrue(output.stderr.hasSuffix(lastLine.replacingOccurrences(of: "j-1", with: id)), "\(state): \(output.stderr)")
        }
    }

    func testALostJobExitsOneWithAMessage() async throws {
        var script = EventScript(jobID: "j-1")
        script.state(.running, .lost, reason: "worker w-1 failed on the last attempt")
        server.jobs.scriptForNextJob(.init(events: script.events))
        let output = try await hodei("submit", "--follow", "--", "job")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.hasSuffix(
            "hodei: job j-1 was lost: its worker failed on the last attempt: worker w-1 failed on the last attempt\n"), output.stderr)
    }

    func testABrokenStreamResumesAfterTheLastSequence() async throws {
        var script = running()
        for line in 1...6 { script.log(.stdout, "line \(line)") }
        script.finish(.succeeded, termination: .exitCode(0))
        server.jobs.scriptForNextJob(.init(events: script.events, breakAfterSequence: 4))

        let output = try await hodei("submit", "--follow", "--", "job")

        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, (1...6).map { "line \($0)\n" }.joined())
        XCTAssertTrue(output.stderr.contains("hodei: lost the event stream of job j-1 (UNAVAILABLE); resuming\n"), output.stderr)
        let froms = server.jobs.recorded { $0.watchRequests.map(\.fromSequence) }
        XCTAssertEqual(froms, [1, 5])
    }

    func testARequeueIsAnnounced() async throws {
        var script = running()
        script.log(.stdout, "first try")
        script.attempt = 2
        script.state(.running, .queued, reason: "worker w-1 failed; requeued")
        script.state(.queued, .running, worker: "w-2")
        script.log(.stdout, "second try")
        script.finish(.succeeded, termination: .exitCode(0))
        server.jobs.scriptForNextJob(.init(events: script.events))
        let output = try await hodei("submit", "--follow", "--", "job")
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(output.stdoutText, "first try\nsecond try\n")
        XCTAssertTrue(output.stderr.contains("hodei: job j-1 requeued: worker w-1 failed; requeued (attempt 2)\n"), output.stderr)
    }

    func testPlainProgressLinesAreOccasional() async throws {
        var script = running()
        for percent in stride(from: 1.0, through: 35, by: 1) { script.progress(percent: percent, message: "working") }
        script.finish(.succeeded, termination: .exitCode(0))
        server.jobs.scriptForNextJob(.init(events: script.events))
        let output = try await hodei("submit", "--follow", "--", "job")
        let lines = output.stderr.split(separator: "\n").filter { $0.hasPrefix("progress ") }
        XCTAssertEqual(lines, ["progress 1%: working", "progress 10%: working", "progress 20%: working", "progress 30%: working"])
    }
}

/// Ctrl-C while following.
final class InterruptTests: CLITestCase {
    func testCtrlCStopsFollowingNotTheJob() async throws {
        var script = EventScript(jobID: "j-1")
        script.state(.queued, .running)
        script.log(.stdout, "started")
        server.jobs.scriptForNextJob(.init(events: script.events, holdOpen: true))
        let running = try CLIProcess.start(["submit", "--follow", "--", "job"],
                                           environment: ["HODEI_SERVER": server.address, "HODEI_TOKEN": FakeServer.token])
        try await running.waitForOutput("started\n")
        running.process.interrupt()
        let output = try await running.wait(timeout: .seconds(10))
        XCTAssertEqual(output.status, 130)
        XCTAssertEqual(output.stdoutText, "started\n")
        XCTAssertTrue(output.stderr.hasSuffix("hodei: stopped following; the job keeps running ('hodei cancel' stops it)\n"), output.stderr)
        XCTAssertEqual(server.jobs.recorded { $0.cancelRequests.count }, 0)
    }
}
