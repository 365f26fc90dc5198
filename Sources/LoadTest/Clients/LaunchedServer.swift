import Foundation

/// A `hodei-server` child process started by hodei-load: on 127.0.0.1 with an ephemeral
/// port, a fresh database in a temporary folder unless one is given, pinned with taskset
/// when asked, its log (warnings and up) in a file next to the database.
final class LaunchedServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let directory: URL
    let logPath: String
    private let removeDirectory: Bool

    var pid: Int32 { process.processIdentifier }

    init(binary: String, database: String?, sync: String, cpus: String?, extraArguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw LoadError("--launch-server: \(binary) is not an executable")
        }
        if let database {
            directory = URL(fileURLWithPath: database).deletingLastPathComponent()
            removeDirectory = false
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-load-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            removeDirectory = true
        }
        let databasePath = database ?? directory.appendingPathComponent("hodei.db").path
        logPath = directory.appendingPathComponent("hodei-server.log").path
        var arguments = ["--listen", "127.0.0.1:0", "--metrics-listen", "off", "--db", databasePath, "--sync", sync,
                         "--log-level", "warning"] + extraArguments
        // taskset execs the server, so the child's pid is the server's.
        if let cpus, FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            arguments = ["-c", cpus, binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
        }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()

        // First line: "hodei-server listening on 127.0.0.1:PORT, ..." (bounded wait).
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n") && Date() < deadline && process.isRunning {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            if process.isRunning { process.terminate() }
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw LoadError("hodei-server did not say where it listens: \(text) \(log.suffix(2000))")
        }
        self.port = port
        stopOnSignals()
    }

    private var signalSources: [any DispatchSourceSignal] = []

    /// SIGINT or SIGTERM to hodei-load also stops the server it started (then exits 128+n).
    private func stopOnSignals() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                stop(grace: 5)
                exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; removes a temporary folder.
    func stop(grace: TimeInterval = 15) {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(grace)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        if removeDirectory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// A failure of hodei-load itself (bad option, server that does not start).
struct LoadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
