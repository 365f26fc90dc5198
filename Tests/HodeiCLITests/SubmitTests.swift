import Foundation
import JobAPI
import ProtoRuntime
import XCTest

/// `hodei submit` against the fake JobService: what it sends and what it prints.
final class SubmitTests: CLITestCase {
    func testSubmitPrintsTheJobIDAndSendsTheSpec() async throws {
        let output = try await hodei(
            "submit", "--priority", "high", "--cpu", "500m", "--memory", "2G", "--gpus", "1",
            "--label", "team=data", "--label", "tier=gold", "--require", "zone=eu", "--env", "A=1=2", "--env", "FROM_HERE",
            "--workdir", "/srv", "--timeout", "1m30s", "--max-attempts", "2", "--name", "nightly",
            "--", "sh", "-c", "echo hi; exit 3", environment: ["FROM_HERE": "copied"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "j-1\n")
        XCTAssertEqual(output.stderr, "")
        let requests = server.jobs.recorded { $0.submitRequests }
        XCTAssertEqual(requests.count, 1)
        let spec = try XCTUnwrap(requests.first?.spec)
        XCTAssertEqual(spec.argv, ["sh", "-c", "echo hi; exit 3"])
        XCTAssertEqual(spec.priority, .high)
        XCTAssertEqual(spec.resources?.cpuMillicores, 500)
        XCTAssertEqual(spec.resources?.memoryMb, 2048)
        XCTAssertEqual(spec.resources?.gpus, 1)
        XCTAssertEqual(spec.labels, ["team": "data", "tier": "gold"])
        XCTAssertEqual(spec.requiredLabels, ["zone": "eu"])
        XCTAssertEqual(spec.env, ["A": "1=2", "FROM_HERE": "copied"])
        XCTAssertEqual(spec.workingDir, "/srv")
        XCTAssertEqual(spec.timeout?.seconds, 90)
        XCTAssertEqual(spec.maxAttempts, 2)
        XCTAssertEqual(spec.name, "nightly")
        XCTAssertNotNil(UUID(uuidString: requests[0].idempotencyKey), requests[0].idempotencyKey)
    }

    func testACommandWithoutDashDashAndDefaults() async throws {
        let output = try await hodei("submit", "echo", "hello")
        XCTAssertEqual(output.status, 0, output.stderr)
        let request = try XCTUnwrap(server.jobs.recorded { $0.submitRequests.first })
        XCTAssertEqual(request.spec?.argv, ["echo", "hello"])
        XCTAssertEqual(request.spec?.priority, .unspecified)
        XCTAssertNil(request.spec?.resources)
        XCTAssertNil(request.spec?.timeout)
    }

    func testUnavailableIsRetriedWithTheSameIdempotencyKey() async throws {
        server.jobs.failNextSubmits(2)
        let output = try await hodei("submit", "--", "true")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "j-1\n")
        let keys = server.jobs.recorded { $0.submitRequests.map(\.idempotencyKey) }
        XCTAssertEqual(keys.count, 3)
        XCTAssertEqual(Set(keys).count, 1, "\(keys)")
        XCTAssertFalse(keys[0].isEmpty)
    }

    func testEachSubmissionGetsItsOwnKey() async throws {
        _ = try await hodei("submit", "--", "true")
        _ = try await hodei("submit", "--", "true")
        let keys = server.jobs.recorded { $0.submitRequests.map(\.idempotencyKey) }
        XCTAssertEqual(keys.count, 2)
        XCTAssertNotEqual(keys[0], keys[1])
    }

    func testAReusedKeyReturnsTheEarlierJob() async throws {
        let first = try await hodei("submit", "--idempotency-key", "nightly-2025-01-15", "--", "true")
        let second = try await hodei("submit", "--idempotency-key", "nightly-2025-01-15", "--", "true")
        XCTAssertEqual(first.stdoutText, "j-1\n")
        XCTAssertEqual(second.stdoutText, "j-1\n")
        XCTAssertEqual(second.status, 0)
        XCTAssertEqual(second.stderr, "hodei: idempotency key 'nightly-2025-01-15' was already used; job j-1 is that submission\n")
        XCTAssertEqual(server.jobs.recorded { $0.jobs.count }, 1)
    }

    func testJSONOutput() async throws {
        let output = try await hodei("submit", "--json", "--", "true")
        XCTAssertEqual(output.status, 0, output.stderr)
        let response = try JSONDecoder().decode(Hodei_V1_SubmitJobResponse.self, from: Data(output.stdout))
        XCTAssertEqual(response.jobId, "j-1")
    }

    func testUsageErrorsExit64WithoutCallingTheServer() async throws {
        for arguments in [[], ["--cpu", "lots", "--", "true"], ["--timeout", "soon", "--", "true"],
                          ["--label", "novalue", "--", "true"], ["--priority", "urgent", "--", "true"],
                          ["--json", "--follow", "--", "true"], ["--rpc-timeout", "0s", "--", "true"]] {
            let output = try await CLIProcess.run(["submit", "--server", server.address] + arguments)
            XCTAssertEqual(output.status, 64, "\(arguments): \(output.stderr)")
            XCTAssertTrue(output.stderr.hasPrefix("Error: "), output.stderr)
        }
        XCTAssertEqual(server.jobs.recorded { $0.submitRequests.count }, 0)
    }
}
