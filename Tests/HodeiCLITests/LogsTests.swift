import Foundation
import JobAPI
import XCTest

/// `hodei logs`: stored pages, following, streams and JSON Lines.
final class LogsTests: CLITestCase {
    private func addJob() -> EventScript {
        var job = Hodei_V1_Job()
        job.id = "j-1"
        job.state = .running
        server.jobs.add(job)
        var script = EventScript(jobID: "j-1")
        script.state(.queued, .running)
        script.log(.stdout, "one")
        script.log(.stderr, "two")
        script.progress(percent: 50, message: "half")
        script.log(.stdout, "three")
        script.log(.stdout, "four")
        script.log(.stderr, "five")
        script.finish(.failed, termination: .exitCode(2))
        server.jobs.setScript(.init(events: script.events), for: "j-1")
        server.jobs.setLogs(script.logEntries, for: "j-1")
        return script
    }

    func testStoredLogsArePagedAndSplitByStream() async throws {
        _ = addJob()
        let output = try await hodei("logs", "j-1")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "one\nthree\nfour\n")
        XCTAssertEqual(output.stderr, "two\nfive\n")
        let froms = server.jobs.recorded { $0.logRequests.map(\.fromSequence) }
        XCTAssertEqual(froms, [1, 3, 5])
    }

    func testOneStreamAndOneAttempt() async throws {
        _ = addJob()
        let output = try await hodei("logs", "j-1", "--stream", "stderr", "--attempt", "1")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "")
        XCTAssertEqual(output.stderr, "two\nfive\n")
        let request = try XCTUnwrap(server.jobs.recorded { $0.logRequests.first })
        XCTAssertEqual(request.stream, .stderr)
        XCTAssertEqual(request.attempt, 1)
    }

    func testFollowPrintsOnlyLogsUntilTheEndAndExitsZero() async throws {
        _ = addJob()
        let output = try await hodei("logs", "-f", "j-1")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "one\nthree\nfour\n")
        XCTAssertEqual(output.stderr, "two\nfive\n")
        let watch = try XCTUnwrap(server.jobs.recorded { $0.watchRequests.first })
        XCTAssertEqual(watch.fromSequence, 1)
        XCTAssertTrue(watch.includeLogs)
    }

    func testJSONLinesDecodeAsLogEntries() async throws {
        let script = addJob()
        let output = try await hodei("logs", "--json", "j-1")
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdoutText.split(separator: "\n")
        let entries = try lines.map { try JSONDecoder().decode(Hodei_V1_LogEntry.self, from: Data($0.utf8)) }
        XCTAssertEqual(entries, script.logEntries)
    }
}

/// `hodei logs` of a job that has not run yet.
final class MissingLogsTests: CLITestCase {
    func testAQueuedJobHasNoLogsYet() async throws {
        _ = try await hodei("submit", "--", "true")
        let output = try await hodei("logs", "j-1")
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "hodei: job j-1 has no logs yet (QUEUED)\n")
        let later = try await hodei("logs", "j-1", "--attempt", "3")
        XCTAssertEqual(later.stderr, "hodei: job j-1 has no attempt 3 (its latest is 1)\n")
    }
}
