import Foundation
import JobAPI
import XCTest

/// `hodei workers list|get|drain`.
final class WorkersTests: CLITestCase {
    func testTheTableIsOrderedByName() async throws {
        let output = try await hodei("workers", "list")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, """
            NAME    ID    STATE       JOBS   CPU%       MEM   LABELS
            alpha   w-1   RUNNING      1/4    37%   1.5G/8G   arch=amd64,zone=eu
            beta    w-2   AVAILABLE      0     0%      512M   -

            """)
    }

    func testListIsTheDefaultAndJSONParses() async throws {
        let output = try await hodei("workers", "--json")
        XCTAssertEqual(output.status, 0, output.stderr)
        let response = try JSONDecoder().decode(Hodei_V1_ListWorkersResponse.self, from: Data(output.stdout))
        XCTAssertEqual(response.workers.map(\.name), ["alpha", "beta"])
        XCTAssertEqual(response.workers.first?.capabilities?.labels, ["zone": "eu", "arch": "amd64"])
    }

    func testDrainByName() async throws {
        let output = try await hodei("workers", "drain", "alpha", "--reason", "kernel upgrade")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdoutText, "alpha (w-1): DRAINING, 1 job still running\n")
        let request = try XCTUnwrap(server.workers.recordedDrains.first)
        XCTAssertEqual(request.worker, "alpha")
        XCTAssertEqual(request.reason, "kernel upgrade")
    }

    func testDrainingAnUnknownWorker() async throws {
        let output = try await hodei("workers", "drain", "gamma")
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "hodei: worker gamma not found\n")
    }

    func testGetShowsAReadableBlock() async throws {
        let output = try await hodei("workers", "get", "w-1")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdoutText.hasPrefix("Name:        alpha\nID:          w-1\nState:       RUNNING (attached)\n"), output.stdoutText)
        XCTAssertTrue(output.stdoutText.contains("Running:     j-7 (attempt 1)\n"), output.stdoutText)
    }
}
