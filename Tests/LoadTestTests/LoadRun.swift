import Foundation
import XCTest

/// Runs the built `hodei-load` (next to the test bundle, as `swift build --build-tests`
/// leaves it) against the built `hodei-server` it launches itself, and decodes its --json
/// report.
enum LoadRun {
    static var binaries: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    /// - Parameter launch: add `--launch-server` with the built hodei-server.
    static func run(_ arguments: [String], launch: Bool = true, timeout: TimeInterval = 60) throws -> (status: Int32, report: [String: Any]) {
        let load = binaries.appendingPathComponent("hodei-load").path
        let server = binaries.appendingPathComponent("hodei-server").path
        for path in [load, server] where !FileManager.default.isExecutableFile(atPath: path) {
            throw XCTSkip("\(path) is missing: run `swift build --build-tests` first")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: load)
        process.arguments = arguments + (launch ? ["--launch-server", server] : []) + ["--json"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read while it runs so a full pipe cannot block it; bounded by `timeout`.
        let collected = LockedData()
        let reader = Thread { collected.set(output.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("hodei-load \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let data = collected.wait()
        guard let report = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NSError(domain: "LoadRun", code: 1, userInfo: [NSLocalizedDescriptionKey: "no JSON report; stderr: \(stderr)"])
        }
        return (process.terminationStatus, report)
    }
}

/// The output bytes, handed from the reader thread.
final class LockedData: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(10)
        while data == nil && condition.wait(until: deadline) {}
        return data ?? Data()
    }
}
