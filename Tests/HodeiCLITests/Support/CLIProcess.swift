import Foundation
import XCTest

/// Runs the built `hodei` binary as a real process and collects what it printed.
struct CLIProcess {
    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "the hodei binary is not built; run `swift build --product hodei` (looked in \(searched))" }
    }

    /// The `hodei` next to the test bundle (the build products directory), else in
    /// `.build/debug` of the package.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let path = directory.appendingPathComponent("hodei")
            if FileManager.default.isExecutableFile(atPath: path.path) { return path }
        }
        throw MissingBinary(searched: candidates.map(\.path))
    }

    /// A started process whose output goes to files in a temporary folder.
    final class Running {
        let process = Process()
        let arguments: [String]
        private let directory: URL
        private let outURL: URL
        private let errURL: URL
        private let outHandle: FileHandle
        private let errHandle: FileHandle

        init(executable: URL, arguments: [String], environment: [String: String]) throws {
            self.arguments = arguments
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            outURL = directory.appendingPathComponent("stdout")
            errURL = directory.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            outHandle = try FileHandle(forWritingTo: outURL)
            errHandle = try FileHandle(forWritingTo: errURL)
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { mine, _ in mine }
            process.standardOutput = outHandle
            process.standardError = errHandle
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        deinit {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: directory)
        }

        /// What the process has written to standard output so far.
        var stdoutSoFar: String { String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self) }

        /// Waits until standard output contains `text`, at most `timeout`.
        func waitForOutput(_ text: String, timeout: Duration = .seconds(10)) async throws {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while !stdoutSoFar.contains(text) && process.isRunning && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }

        /// Waits for the exit (killing the process after `timeout`) without blocking a thread, so a
        /// fake server in this process keeps serving.
        func wait(timeout: Duration = .seconds(30)) async throws -> Output {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while process.isRunning && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let timedOut = process.isRunning
            if timedOut { process.terminate() }
            process.waitUntilExit()
            try outHandle.close()
            try errHandle.close()
            let output = Output(status: process.terminationStatus, stdout: Array(try Data(contentsOf: outURL)),
                                stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
            if timedOut { XCTFail("hodei \(arguments) did not finish within \(timeout); stderr: \(output.stderr)") }
            return output
        }
    }

    /// Starts `hodei arguments...` with only `environment` (plus PATH) set.
    static func start(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil) throws -> Running {
        try Running(executable: executable ?? binary(), arguments: arguments, environment: environment)
    }

    /// Runs `hodei arguments...` to its end (killed after `timeout`).
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)) async throws -> Output {
        try await start(arguments, environment: environment).wait(timeout: timeout)
    }

    /// Runs `hodei arguments...` on a pseudo-terminal (through util-linux `script`), so that its
    /// standard output and error are a TTY; both arrive in `stdout`, with "\r\n" line ends.
    static func runInTerminal(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let commandLine = ([try binary().path] + arguments).map(shellQuoted).joined(separator: " ")
        return try await start(["-qfec", commandLine, "/dev/null"], environment: environment,
                               executable: URL(fileURLWithPath: "/usr/bin/script")).wait()
    }

    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
