import Foundation
import XCTest

/// Misbehaving peers (Peers/abuse.py, raw HTTP/2 through Python's h2) against a real
/// hodei-interop-server process, whose memory the script reads from /proc.
final class AbuseTests: XCTestCase {
    func testMisbehavingPeersGetErrorsAndTheServerKeepsServing() throws {
        // The test bundle sits next to the executables that `swift build --build-tests` built.
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let serverPath = binaries.appendingPathComponent("hodei-interop-server").path
        guard FileManager.default.isExecutableFile(atPath: serverPath) else {
            XCTFail("\(serverPath) is missing: run `swift build --build-tests` first")
            return
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: serverPath)
        server.arguments = ["--port", "0"]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try XCTUnwrap(line.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }, line)
        let result = try PeerProcess.run(
            ["python3", PeerProcess.peers.appendingPathComponent("abuse.py").path, String(port), String(server.processIdentifier)],
            timeout: 120
        )
        print(result.text)
        XCTAssertEqual(result.status, 0, result.text)
        XCTAssertTrue(server.isRunning, "the server died")
    }
}
