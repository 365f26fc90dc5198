import Foundation
import JobAPI
import ProtoRuntime
import XCTest
@testable import WorkerAgent

/// Runs real processes through ``JobProcess`` for the tests.
struct JobRunner {
    var options = JobRunOptions()
    var workingDirectory = FileManager.default.temporaryDirectory.path

    func spec(_ argv: [String], env: [String: String] = [:], workingDir: String = "", memoryMB: UInt32 = 0) -> Hodei_V1_JobSpec {
        var spec = Hodei_V1_JobSpec()
        spec.argv = argv
        spec.env = env
        spec.workingDir = workingDir
        if memoryMB > 0 {
            var quota = Hodei_V1_ResourceQuota()
            quota.memoryMb = memoryMB
            spec.resources = quota
        }
        return spec
    }

    /// Starts the job and its output pump; returns the process and the sink collecting its reports.
    func start(_ spec: Hodei_V1_JobSpec, timeout: Duration? = nil, sink: RecordingSink = RecordingSink(),
               job: JobKey = JobKey(jobId: "job-\(UUID().uuidString.prefix(8))", attempt: 1)) throws -> (JobProcess, RecordingSink) {
        let plan = try LaunchPlan.make(spec: spec, job: job, defaultWorkingDirectory: workingDirectory)
        let process = JobProcess(key: job, plan: plan, timeout: timeout, options: options, sink: sink)
        try process.start()
        process.pumpOutput()
        return (process, sink)
    }

    /// Runs the job to the end (at most `limit`).
    func run(_ spec: Hodei_V1_JobSpec, timeout: Duration? = nil, limit: Duration = .seconds(60)) async throws -> (Hodei_V1_JobResult, RecordingSink, JobProcess) {
        let (process, sink) = try start(spec, timeout: timeout)
        let result = try await withDeadline(limit) { await process.result() }
        return (result, sink, process)
    }
}

struct TimedOut: Error {}

/// Runs `body`, failing with ``TimedOut`` after `limit` (tests must never hang, even when
/// `body` ignores cancellation: it is left behind, not awaited).
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let work = Task {
            do { once.resume(with: .success(try await body())) } catch { once.resume(with: .failure(error)) }
        }
        Task {
            try? await Task.sleep(for: limit)
            once.resume(with: .failure(TimedOut()))
            work.cancel()
        }
    }
}

/// Resumes a continuation once; later results are ignored.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var early: Result<T, any Error>?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.lock()
        if let early {
            lock.unlock()
            continuation.resume(with: early)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    func resume(with result: Result<T, any Error>) {
        lock.lock()
        guard let continuation else {
            if early == nil { early = result }
            lock.unlock()
            return
        }
        self.continuation = nil
        early = result
        lock.unlock()
        continuation.resume(with: result)
    }
}

/// True once no process of the group is left (kill(-pgid, 0) fails with ESRCH), polling at
/// most `limit` (the agent's reaper collects killed processes asynchronously).
func processGroupIsGone(_ pgid: pid_t, within limit: Duration = .seconds(5)) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: limit)
    while ContinuousClock.now < deadline {
        if kill(-pgid, 0) == -1 && errno == ESRCH { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return kill(-pgid, 0) == -1 && errno == ESRCH
}
