import Foundation
import TestSupport
import XCTest

/// A `hodei-server` child process (the binary `swift build --build-tests` put next to the
/// test bundle), for what only a real process shows: kill -9, restarts, exit codes.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0

    static var binaries: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    init(database: String, extraArguments: [String] = []) throws {
        let path = Self.binaries.appendingPathComponent("hodei-server").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("\(path) is missing: run `swift build --build-tests` first")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--listen", "127.0.0.1:0", "--metrics-listen", "off", "--db", database,
                             "--client-token", TestServer.clientToken, "--worker-token", TestServer.workerToken,
                             "--log-level", "warning"] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        port = try readListeningPort(of: process, output: output)
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
