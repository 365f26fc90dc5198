import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2
import TestSupport
import XCTest

/// Real `hodei-server`, `hodei-agent` and `hodei` processes on loopback, from the binaries
/// `swift build --build-tests` put next to the test bundle, sharing one temporary folder.
final class Cluster: @unchecked Sendable {
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    /// Short timings so that failure handling shows within seconds.
    static let heartbeatSeconds = 0.3
    static let missedHeartbeats = 3
    static let failureGraceSeconds = 0.6
    static var failureTimeout: Duration { .milliseconds(Int64((heartbeatSeconds * Double(missedHeartbeats) + failureGraceSeconds) * 1000)) }

    let directory: URL
    var database: String { directory.appendingPathComponent("hodei.db").path }
    private(set) var server: Process?
    private(set) var port = 0
    private(set) var agents: [String: Process] = [:]
    private(set) var client: GRPCClient?
    private var proxies: [Process] = []

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static func binary(_ name: String) throws -> String {
        let path = binaries.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ClusterError("\(path) is missing: run `swift build --build-tests` first")
        }
        return path
    }

    /// Starts (or restarts, on the same database and port) the server.
    func startServer() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary("hodei-server"))
        process.arguments = [
            "--listen", "127.0.0.1:\(port)", "--metrics-listen", "off", "--db", database, "--sync", "full",
            "--heartbeat-interval", "\(Self.heartbeatSeconds)", "--missed-heartbeats", "\(Self.missedHeartbeats)",
            "--failure-grace", "\(Self.failureGraceSeconds)", "--log-level", "info",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try logFile("server")
        try process.run()
        port = try readListeningPort(of: process, output: output)
        server = process
        if client == nil { client = try GRPCClient(host: "127.0.0.1", port: port) }
    }

    func startAgent(_ name: String, maxJobs: Int = 2, serverPort: Int? = nil, extra: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary("hodei-agent"))
        process.arguments = ["--server", "127.0.0.1:\(serverPort ?? port)", "--name", name, "--max-jobs", "\(maxJobs)",
                             "--spool-dir", directory.path, "--log-level", "info"] + extra
        process.standardOutput = try logFile("agent-\(name)")
        process.standardError = try logFile("agent-\(name)")
        try process.run()
        agents[name] = process
    }

    /// Starts a proxy to the server whose link can be cut (Peers/cut_proxy.py); returns it and
    /// the port agents should use.
    func startCutProxy() throws -> (process: Process, port: Int) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/cut_proxy.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "\(port)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try logFile("proxy")
        try process.run()
        proxies.append(process)
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let proxyPort = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ClusterError("cut_proxy.py did not start: \(line)")
        }
        return (process, proxyPort)
    }

    /// An append-only log file in the cluster's folder (children must not inherit the test's
    /// own output, or `swift test` waits for them).
    private func logFile(_ name: String) throws -> FileHandle {
        let url = directory.appendingPathComponent("\(name).log")
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        return handle
    }

    /// Runs a test body with a deadline; whatever happens, stops every process, and on
    /// failure prints the last lines of each log.
    func run(timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await withTimeout(timeout, body)
        } catch {
            printLogs()
            await stop()
            throw error
        }
        await stop()
    }

    func printLogs() {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for file in files.sorted() where file.hasSuffix(".log") {
            let text = (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
            print("---- \(file) (last lines)\n" + text.split(separator: "\n").suffix(40).joined(separator: "\n"))
        }
    }

    func signalServer(_ signal: Int32) { if let server { kill(server.processIdentifier, signal) } }
    func signalAgent(_ name: String, _ signal: Int32) { if let agent = agents[name] { kill(agent.processIdentifier, signal) } }

    /// SIGTERM, then waits (bounded) for the server to exit.
    func stopServerGracefully(timeout: Duration = .seconds(15)) async throws {
        guard let server else { return }
        server.terminate()
        let deadline = ContinuousClock.now + timeout
        while server.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        guard !server.isRunning else { throw ClusterError("hodei-server did not exit within \(timeout) of SIGTERM") }
        self.server = nil
    }

    func killServer() {
        guard let server else { return }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        self.server = nil
    }

    func killAgent(_ name: String) {
        guard let agent = agents.removeValue(forKey: name) else { return }
        kill(agent.processIdentifier, SIGKILL)
        agent.waitUntilExit()
    }

    /// Runs the `hodei` CLI; returns its exit status, stdout and stderr.
    func cli(_ arguments: [String], timeout: TimeInterval = 120) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary("hodei"))
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HODEI_SERVER"] = "127.0.0.1:\(port)"
        process.environment = environment
        let stdout = directory.appendingPathComponent("cli-\(UUID().uuidString).out")
        let stderr = directory.appendingPathComponent("cli-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            throw ClusterError("hodei \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
        }
        return (process.terminationStatus, try String(contentsOf: stdout, encoding: .utf8), try String(contentsOf: stderr, encoding: .utf8))
    }

    var jobs: Hodei_V1_JobServiceClient { Hodei_V1_JobServiceClient(transport: client!) }
    var workers: Hodei_V1_WorkerServiceClient { Hodei_V1_WorkerServiceClient(transport: client!) }

    func submit(_ argv: [String], maxAttempts: UInt32 = 0) async throws -> String {
        var request = Hodei_V1_SubmitJobRequest()
        var spec = Hodei_V1_JobSpec()
        spec.argv = argv
        spec.maxAttempts = maxAttempts
        request.spec = spec
        return try await jobs.submitJob(request).jobId
    }

    func job(_ id: String) async throws -> Hodei_V1_Job {
        var request = Hodei_V1_GetJobRequest()
        request.jobId = id
        return try await jobs.getJob(request)
    }

    /// Polls (bounded) until the job satisfies `condition`; retries through server restarts.
    func waitForJob(_ id: String, timeout: Duration = .seconds(60), _ condition: (Hodei_V1_Job) -> Bool) async throws -> Hodei_V1_Job {
        let deadline = ContinuousClock.now + timeout
        var last: Hodei_V1_Job?
        while ContinuousClock.now < deadline {
            if let job = try? await job(id) {
                last = job
                if condition(job) { return job }
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ClusterError("job \(id) did not reach the condition in \(timeout); last: \(String(describing: last?.state)) attempt \(last?.attempt ?? 0) worker \(last?.workerId ?? "")")
    }

    func workerState(_ name: String) async throws -> Hodei_V1_WorkerState? {
        try await workers.listWorkers(Hodei_V1_ListWorkersRequest()).workers.first { $0.name == name }?.state
    }

    /// Every log line of one attempt, paging through GetJobLogs.
    func logs(_ id: String, attempt: UInt32 = 0) async throws -> [Hodei_V1_LogEntry] {
        var request = Hodei_V1_GetJobLogsRequest()
        request.jobId = id
        request.attempt = attempt
        request.limit = 10_000
        var entries: [Hodei_V1_LogEntry] = []
        while true {
            let page = try await jobs.getJobLogs(request)
            entries += page.entries
            if page.entries.isEmpty || page.complete { return entries }
            request.fromSequence = page.nextSequence
        }
    }

    func stop() async {
        for name in Array(agents.keys) { killAgent(name) }
        // SIGKILL: the proxy inherits the test process's signal mask, where SIGTERM may be blocked.
        for proxy in proxies where proxy.isRunning {
            kill(proxy.processIdentifier, SIGKILL)
            proxy.waitUntilExit()
        }
        try? await client?.shutdown()
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Whether a process is gone (no such pid, or only a zombie nobody reaped yet).
func processIsGone(_ pid: Int32) -> Bool {
    if kill(pid, 0) != 0 && errno == ESRCH { return true }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state == "Z" || state == "X"
}
