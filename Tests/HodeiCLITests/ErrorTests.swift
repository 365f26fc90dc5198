import Foundation
import JobAPI
import XCTest

/// Failures are one line on standard error and status 1.
final class ErrorTests: CLITestCase {
    func testAnUnreachableServer() async throws {
        // Port 1 on loopback: nothing listens there.
        let output = try await CLIProcess.run(["get", "j-1", "--server", "127.0.0.1:1"])
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "hodei: cannot reach the server at 127.0.0.1:1 (connection refused)\n")
        XCTAssertEqual(output.stdout, [])
    }

    func testAnUnreachableServerFromTheEnvironmentWhileSubmitting() async throws {
        let output = try await CLIProcess.run(["submit", "--", "true"], environment: ["HODEI_SERVER": "127.0.0.1:1"])
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "hodei: cannot reach the server at 127.0.0.1:1 (connection refused)\n")
    }

    func testAWrongToken() async throws {
        let output = try await hodei("list", token: "not-the-token")
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "hodei: the server rejected the token (UNAUTHENTICATED)\n")
    }

    func testNoToken() async throws {
        let output = try await hodei("workers", "list", token: nil)
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "hodei: the server requires a token (UNAUTHENTICATED); pass --token or set HODEI_TOKEN\n")
    }

    func testTheTokenFlagWinsOverTheEnvironment() async throws {
        let output = try await hodei("list", "--token", FakeServer.token, token: "stale")
        XCTAssertEqual(output.status, 0, output.stderr)
    }

    func testAMissingJob() async throws {
        for arguments in [["get", "j-404"], ["cancel", "j-404"], ["logs", "j-404"], ["logs", "-f", "j-404"]] {
            let output = try await CLIProcess.run(arguments + ["--server", server.address, "--token", FakeServer.token])
            XCTAssertEqual(output.status, 1, "\(arguments)")
            XCTAssertEqual(output.stderr, "hodei: job j-404 not found\n", "\(arguments)")
        }
    }

    func testAMalformedServerAddressIsAUsageError() async throws {
        let output = try await CLIProcess.run(["list", "--server", "127.0.0.1:99999"])
        XCTAssertEqual(output.status, 64)
        XCTAssertTrue(output.stderr.contains("'127.0.0.1:99999' is not a server address"), output.stderr)
    }
}
