import Foundation
import JobAPI
import RPCTransportHTTP2
import TestSupport
import XCTest

/// What depends on the surroundings: a terminal (progress bar), TLS, a slow server.
final class TerminalAndTLSTests: CLITestCase {
    func testOnATerminalProgressIsABarRedrawnInPlaceAndClearedAtTheEnd() async throws {
        var script = EventScript(jobID: "j-1")
        script.state(.queued, .running)
        script.progress(percent: 25, message: "loading")
        script.log(.stdout, "hello")
        script.progress(percent: 50, completed: 1, total: 2, message: "half")
        script.finish(.failed, termination: .exitCode(4))
        server.jobs.scriptForNextJob(.init(events: script.events))
        let output = try await CLIProcess.runInTerminal(
            ["submit", "--follow", "--", "job"],
            environment: ["HODEI_SERVER": server.address, "HODEI_TOKEN": FakeServer.token, "COLUMNS": "100"])
        XCTAssertEqual(output.status, 4, output.stdoutText)
        let text = output.stdoutText
        let clear = "\r\u{1B}[2K"
        XCTAssertTrue(text.contains(clear + "[#######-----------------------] 25%: loading"), text)
        XCTAssertTrue(text.contains(clear + "hello\r\n" + clear + "[#######"), "the bar is cleared for a log line and drawn again: \(text)")
        XCTAssertTrue(text.contains(clear + "[###############---------------] 50% step 1/2: half"), text)
        XCTAssertFalse(text.contains("progress "), "no plain progress lines on a terminal: \(text)")
        XCTAssertTrue(text.hasSuffix("half" + clear), "the bar is gone when the job ends: \(text.debugDescription)")
    }

    func testTLSWithTheServersCA() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let secure = try await FakeServer.start(tls: .server(certificateChain: certificates.serverChainPath,
                                                             privateKey: certificates.serverKeyPath))
        let trusted = try await CLIProcess.run(["workers", "list", "--server", secure.address, "--ca-file", certificates.caPath],
                                               environment: ["HODEI_TOKEN": FakeServer.token])
        // Without the CA, the system roots do not trust the throwaway certificate.
        let untrusted = try await CLIProcess.run(["workers", "list", "--server", secure.address, "--tls"],
                                                 environment: ["HODEI_TOKEN": FakeServer.token])
        let plain = try await CLIProcess.run(["workers", "list", "--server", secure.address], environment: ["HODEI_TOKEN": FakeServer.token])
        await secure.stop()
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
        XCTAssertTrue(trusted.stdoutText.hasPrefix("NAME"), trusted.stdoutText)
        for failed in [untrusted, plain] {
            XCTAssertEqual(failed.status, 1)
            XCTAssertTrue(failed.stderr.hasPrefix("hodei: the server at \(secure.address) is unavailable"), failed.stderr)
            XCTAssertEqual(failed.stderr.filter { $0 == "\n" }.count, 1, failed.stderr)
        }
    }

    func testAMissingCAFileIsOneLine() async throws {
        let output = try await hodei("list", "--ca-file", "/nonexistent/ca.pem")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.hasPrefix("hodei: cannot set up TLS: "), output.stderr)
        XCTAssertEqual(output.stderr.filter { $0 == "\n" }.count, 1, output.stderr)
    }

    func testASlowServerHitsTheRPCTimeout() async throws {
        var job = Hodei_V1_Job()
        job.id = FakeJobService.slowJobID
        server.jobs.add(job)
        let started = ContinuousClock.now
        let output = try await hodei("get", FakeJobService.slowJobID, "--rpc-timeout", "300ms")
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.stderr, "hodei: the server did not answer within 300ms (DEADLINE_EXCEEDED); see --rpc-timeout\n")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(4))
    }
}
