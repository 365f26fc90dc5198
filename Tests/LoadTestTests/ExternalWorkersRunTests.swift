import Foundation
import TestSupport
import XCTest

/// DISPATCH-P's path without a real agent: jobs run by workers in another process (here a
/// `hodei-load idle` fleet, whose workers answer assignments) are seen to end through
/// WatchJob only.
final class ExternalWorkersRunTests: XCTestCase {
    func testJobsRunElsewhereCompleteThroughWatchJob() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-load-ext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ChildProcess(LoadRun.binaries.appendingPathComponent("hodei-server").path,
                                      ["--listen", "127.0.0.1:0", "--metrics-listen", "off", "--sync", "normal",
                                       "--log-level", "warning", "--db", directory.appendingPathComponent("hodei.db").path])
        defer { server.stop() }
        let port = try server.waitForPort()
        let fleet = try ChildProcess(LoadRun.binaries.appendingPathComponent("hodei-load").path,
                                     ["idle", "--server", "127.0.0.1:\(port)", "--workers", "2", "--settle", "0", "--duration", "30"])
        defer { fleet.stop() }

        let (status, report) = try LoadRun.run(["dispatch", "--server", "127.0.0.1:\(port)", "--server-pid", "\(server.pid)",
                                                "--workers", "0", "--external-workers", "--jobs", "100", "--warmup-jobs", "0",
                                                "--concurrency", "16", "--timeout", "20"], launch: false)
        XCTAssertEqual(status, 0, "\(report)")
        let jobs = try XCTUnwrap(report["jobs"] as? [String: Any])
        XCTAssertEqual(jobs["completed"] as? Int, 100)
        XCTAssertEqual(jobs["failed"] as? Int, 0)
        let latency = try XCTUnwrap(report["latency_ms"] as? [String: [String: Any]])
        XCTAssertEqual(latency["submit_to_watch_end"]?["count"] as? Int, 100)
        XCTAssertNil(latency["submit_to_assign"], "no simulated worker of this process saw the assignments")
        XCTAssertGreaterThan((report["server"] as? [String: Any])?["cpu_seconds"] as? Double ?? 0, 0)
    }
}

/// A child process with stdout read for "127.0.0.1:PORT" (hodei-server's first line).
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()

    init(_ path: String, _ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("\(path) is missing: run `swift build --build-tests` first")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func waitForPort() throws -> Int {
        try readListeningPort(of: process, output: output)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
