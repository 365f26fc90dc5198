import Foundation
import JobAPI
import XCTest

/// `hodei list`: the table, JSON, filters and paging.
final class ListTests: CLITestCase {
    private func addJobs() {
        let jobs: [(String, Hodei_V1_JobState, Hodei_V1_Priority, UInt32, String, Int64, [String], [String: String])] = [
            ("j-1", .succeeded, .low, 1, "w-1", 3 * 86400, ["make", "report"], ["team": "data"]),
            ("j-2", .running, .high, 2, "w-2", 7200, ["sh", "-c", "echo 'hi there'"], ["team": "web"]),
            ("j-3", .queued, .unspecified, 1, "", 300, ["sleep", "10"], ["team": "data"]),
        ]
        for (id, state, priority, attempt, worker, age, argv, labels) in jobs {
            var job = Hodei_V1_Job()
            job.id = id
            job.state = state
            job.attempt = attempt
            job.workerId = worker
            job.createdAt = FakeJobService.timestamp(secondsAgo: age)
            var spec = Hodei_V1_JobSpec()
            spec.argv = argv
            spec.priority = priority
            spec.labels = labels
            job.spec = spec
            server.jobs.add(job)
        }
    }

    func testTheTableIsNewestFirst() async throws {
        addJobs()
        let output = try await hodei("list")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, """
            ID    STATE       PRIORITY   ATTEMPT   WORKER   AGE   COMMAND
            j-3   QUEUED      NORMAL           1   -         5m   sleep 10
            j-2   RUNNING     HIGH             2   w-2       2h   sh -c 'echo '\\''hi there'\\'''
            j-1   SUCCEEDED   LOW              1   w-1       3d   make report

            """)
        XCTAssertEqual(output.stderr, "")
    }

    func testJSONParses() async throws {
        addJobs()
        let output = try await hodei("list", "--json")
        XCTAssertEqual(output.status, 0, output.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout)) as? [String: Any])
        XCTAssertEqual((object["jobs"] as? [Any])?.count, 3)
        let listing = try JSONDecoder().decode(Hodei_V1_ListJobsResponse.self, from: Data(output.stdout))
        XCTAssertEqual(listing.jobs.map(\.id), ["j-3", "j-2", "j-1"])
        XCTAssertEqual(listing.jobs[1].spec?.argv, ["sh", "-c", "echo 'hi there'"])
    }

    func testFiltersAreSent() async throws {
        let output = try await hodei("list", "--state", "running", "--state", "timed-out", "--label", "team=data", "--worker", "w-2",
                                     "--limit", "20")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "ID   STATE   PRIORITY   ATTEMPT   WORKER   AGE   COMMAND\n")
        let request = try XCTUnwrap(server.jobs.recorded { $0.listRequests.first })
        XCTAssertEqual(request.states, [.running, .timedOut])
        XCTAssertEqual(request.labelSelector, ["team": "data"])
        XCTAssertEqual(request.workerId, "w-2")
        XCTAssertEqual(request.pageSize, 20)
    }

    func testAllFollowsPageTokens() async throws {
        addJobs()
        let output = try await hodei("list", "--all", "--limit", "1", "--json")
        XCTAssertEqual(output.status, 0, output.stderr)
        let listing = try JSONDecoder().decode(Hodei_V1_ListJobsResponse.self, from: Data(output.stdout))
        XCTAssertEqual(listing.jobs.map(\.id), ["j-3", "j-2", "j-1"])
        XCTAssertEqual(server.jobs.recorded { $0.listRequests.map(\.pageToken) }, ["", "1", "2"])
    }

    func testALimitWithoutAllSaysMoreMatch() async throws {
        addJobs()
        let output = try await hodei("list", "--limit", "2")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText.split(separator: "\n").count, 3)
        XCTAssertEqual(output.stderr, "hodei: more jobs match; use --all or a larger --limit\n")
    }
}
