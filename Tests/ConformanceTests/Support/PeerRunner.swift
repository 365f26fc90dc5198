import Foundation

/// Runs the Python peer (`Peers/python_peer.py`), which also builds and runs the protobuf-c
/// peer, and captures everything it prints.
struct PeerRunner {
    struct Output {
        var status: Int32
        var text: String
    }

    /// `Tests/ConformanceTests/Peers`, found from this file's path: the tests run from a
    /// source checkout (`swift test`), so the peers need not be bundled as resources.
    static let peersDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ConformanceTests
        .appendingPathComponent("Peers", isDirectory: true)

    /// `$PYTHON` if set, else the first `python3` on `PATH` (the one `make deps` installed
    /// `protobuf` into).
    var python: String = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"

    func run(_ command: String, _ directory: URL) throws -> Output {
        let script = Self.peersDirectory.appendingPathComponent("python_peer.py").path
        // -B: write no __pycache__ into the source tree.
        return try Self.execute(["/usr/bin/env", python, "-B", script, command, directory.path])
    }

    /// Runs a program to completion with stdout and stderr going to one temporary file, so a
    /// talkative peer can never block on a full pipe.
    static func execute(_ arguments: [String]) throws -> Output {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("hodei-conformance-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? "<output not UTF-8>"
        return Output(status: process.terminationStatus, text: text)
    }
}
