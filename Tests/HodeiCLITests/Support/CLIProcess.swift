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

    struct MissingBinary: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "the hodei binary is not built; run `swift build --product hodei` (looked in \(searched))" }
    }

    /// Runs `hodei arguments...` on a pseudo-terminal (through util-linux `script`), so that its
    /// standard output and error are a TTY; both arrive in `stdout`, with "\r\n" line ends.
    static func runInTerminal(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let commandLine = ([try binary().path] + arguments).map(shellQuoted).joined(separator: " ")
        return try await run(["-qfec", commandLine, "/dev/null"], environment: environment, executable: URL(fileURLWithPath: "/usr/bin/script"))
    }

    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Runs `hodei arguments...` with only `environment` (plus PATH) set, killing it after
    /// `timeout`. Waits without blocking a thread, so a fake server in this process keeps serving.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30),
                    executable: URL? = nil) async throws -> Output {
        let process = Process()
        process.executableURL = try executable ?? binary()
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { mine, _ in mine }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
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
