import Foundation
import JobAPI
import ProtoRPC
import ProtoRuntime
import RPCCore
import Synchronization

/// An in-memory JobService with canned behaviour, recording every request it gets.
///
/// Submissions create jobs "j-1", "j-2", ... in QUEUED. WatchJob plays the job's
/// ``WatchScript`` (set with ``scriptForNextJob`` before the submission, or ``setScript``):
/// the events with sequence >= from_sequence, optionally breaking the first stream with
/// UNAVAILABLE. Every call needs `authorization: Bearer <token>`.
final class FakeJobService: Hodei_V1_JobServiceProvider {
    struct WatchScript {
        var events: [Hodei_V1_JobEvent]
        /// On the first WatchJob only: fail with UNAVAILABLE after sending this sequence.
        var breakAfterSequence: UInt64? = nil
        /// Keep the stream open after the last event (up to 30 s), as for a job still running.
        var holdOpen = false
    }

    struct State {
        var jobs: [Hodei_V1_Job] = []
        var keys: [String: String] = [:]
        var scripts: [String: WatchScript] = [:]
        var logs: [String: [Hodei_V1_LogEntry]] = [:]
        var nextScript: WatchScript?
        var unavailableSubmits = 0
        var submitRequests: [Hodei_V1_SubmitJobRequest] = []
        var listRequests: [Hodei_V1_ListJobsRequest] = []
        var watchRequests: [Hodei_V1_WatchJobRequest] = []
        var cancelRequests: [Hodei_V1_CancelJobRequest] = []
        var logRequests: [Hodei_V1_GetJobLogsRequest] = []
        var brokenStreams: Set<String> = []
    }

    let token: String
    /// GetJob of this id answers only after 5 s (for deadline tests).
    static let slowJobID = "j-slow"
    /// Entries per GetJobLogs page, small so that the CLI must page.
    let logPageSize = 2
    let state = Mutex(State())

    init(token: String) {
        self.token = token
    }

    /// Reads the recorded state.
    func recorded<Value>(_ read: (State) -> Value) -> Value {
        state.withLock { read($0) }
    }

    func authorize(_ context: ServerContext) throws {
        guard context.metadata.first("authorization") == "Bearer \(token)" else {
            throw RPCError(code: .unauthenticated, message: "invalid or missing token")
        }
    }

    /// Adds a job as if it had been submitted earlier.
    func add(_ job: Hodei_V1_Job) {
        state.withLock { $0.jobs.append(job) }
    }

    func setScript(_ script: WatchScript, for jobID: String) {
        state.withLock { $0.scripts[jobID] = script }
    }

    func setLogs(_ entries: [Hodei_V1_LogEntry], for jobID: String) {
        state.withLock { $0.logs[jobID] = entries }
    }

    func scriptForNextJob(_ script: WatchScript) {
        state.withLock { $0.nextScript = script }
    }

    func failNextSubmits(_ count: Int) {
        state.withLock { $0.unavailableSubmits = count }
    }

    func submitJob(request: Hodei_V1_SubmitJobRequest, context: ServerContext) async throws -> Hodei_V1_SubmitJobResponse {
        try authorize(context)
        return try state.withLock { state in
            state.submitRequests.append(request)
            if state.unavailableSubmits > 0 {
                state.unavailableSubmits -= 1
                throw RPCError(code: .unavailable, message: "store not writable")
            }
            var response = Hodei_V1_SubmitJobResponse()
            if let existing = state.keys[request.idempotencyKey], !request.idempotencyKey.isEmpty {
                response.jobId = existing
                response.duplicate = true
                return response
            }
            guard let spec = request.spec, !spec.argv.isEmpty else { throw RPCError(code: .invalidArgument, message: "empty argv") }
            var job = Hodei_V1_Job()
            job.id = "j-\(state.jobs.count + 1)"
            job.spec = spec
            job.state = .queued
            job.attempt = 1
            job.createdAt = FakeJobService.timestamp(secondsAgo: 0)
            state.jobs.append(job)
            state.keys[request.idempotencyKey] = job.id
            if let script = state.nextScript {
                state.scripts[job.id] = script
                state.nextScript = nil
            }
            response.jobId = job.id
            return response
        }
    }

    func getJob(request: Hodei_V1_GetJobRequest, context: ServerContext) async throws -> Hodei_V1_Job {
        try authorize(context)
        if request.jobId == Self.slowJobID { try await Task.sleep(for: .seconds(5)) }
        guard let job = state.withLock({ $0.jobs.first { $0.id == request.jobId } }) else {
            throw RPCError(code: .notFound, message: "no job \(request.jobId)")
        }
        return job
    }

    /// Newest first; the page token is the offset of the next page.
    func listJobs(request: Hodei_V1_ListJobsRequest, context: ServerContext) async throws -> Hodei_V1_ListJobsResponse {
        try authorize(context)
        return try state.withLock { state in
            state.listRequests.append(request)
            let matching = state.jobs.reversed().filter { job in
                (request.states.isEmpty || request.states.contains(job.state))
                    && (request.workerId.isEmpty || job.workerId == request.workerId)
                    && request.labelSelector.allSatisfy { job.spec?.labels[$0.key] == $0.value }
            }
            guard let offset = request.pageToken.isEmpty ? 0 : Int(request.pageToken), offset <= matching.count else {
                throw RPCError(code: .invalidArgument, message: "bad page_token")
            }
            let size = request.pageSize == 0 ? 100 : Int(request.pageSize)
            var response = Hodei_V1_ListJobsResponse()
            response.jobs = Array(matching[offset..<min(matching.count, offset + size)])
            if offset + size < matching.count { response.nextPageToken = String(offset + size) }
            return response
        }
    }

    func cancelJob(request: Hodei_V1_CancelJobRequest, context: ServerContext) async throws -> Hodei_V1_CancelJobResponse {
        try authorize(context)
        return try state.withLock { state in
            state.cancelRequests.append(request)
            guard let index = state.jobs.firstIndex(where: { $0.id == request.jobId }) else {
                throw RPCError(code: .notFound, message: "no job \(request.jobId)")
            }
            var response = Hodei_V1_CancelJobResponse()
            switch state.jobs[index].state {
            case .succeeded, .failed, .cancelled, .timedOut, .lost:
                response.alreadyFinished = true
            case .queued:
                state.jobs[index].state = .cancelled
                state.jobs[index].stateMessage = request.reason
            default:
                break
            }
            response.job = state.jobs[index]
            return response
        }
    }

    func watchJob(request: Hodei_V1_WatchJobRequest, response: MessageWriter<Hodei_V1_JobEvent>, context: ServerContext) async throws {
        try authorize(context)
        let (script, breakAfter) = try state.withLock { state -> (WatchScript, UInt64?) in
            state.watchRequests.append(request)
            guard state.jobs.contains(where: { $0.id == request.jobId }), let script = state.scripts[request.jobId] else {
                throw RPCError(code: .notFound, message: "no job \(request.jobId)")
            }
            let breaks = script.breakAfterSequence != nil && state.brokenStreams.insert(request.jobId).inserted
            return (script, breaks ? script.breakAfterSequence : nil)
        }
        for event in script.events where event.sequence >= request.fromSequence {
            if case .log = event.kind, !request.includeLogs { continue }
            try await response.write(event)
            if let breakAfter, event.sequence >= breakAfter {
                throw RPCError(code: .unavailable, message: "server going away")
            }
        }
        if script.holdOpen { try await Task.sleep(for: .seconds(30)) }
    }

    func getJobLogs(request: Hodei_V1_GetJobLogsRequest, context: ServerContext) async throws -> Hodei_V1_GetJobLogsResponse {
        try authorize(context)
        return try state.withLock { state in
            state.logRequests.append(request)
            guard let all = state.logs[request.jobId] else { throw RPCError(code: .notFound, message: "no job \(request.jobId)") }
            let attempt = request.attempt == 0 ? (all.map(\.attempt).max() ?? 1) : request.attempt
            let selected = all.filter {
                $0.attempt == attempt && $0.sequence >= request.fromSequence
                    && (request.stream == .unspecified || $0.stream == request.stream)
            }
            var response = Hodei_V1_GetJobLogsResponse()
            response.entries = Array(selected.prefix(logPageSize))
            response.attempt = attempt
            response.nextSequence = (response.entries.last?.sequence ?? max(request.fromSequence, 1) - 1) + 1
            response.complete = selected.count <= logPageSize
            return response
        }
    }

    static func timestamp(secondsAgo: Int64) -> Google_Protobuf_Timestamp {
        var timestamp = Google_Protobuf_Timestamp()
        timestamp.seconds = Int64(Date().timeIntervalSince1970) - secondsAgo
        return timestamp
    }
}
