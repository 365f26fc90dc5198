import JobAPI
import JobStore
import ProtoRPC
import RPCCore

/// `hodei.v1.JobService`: what clients call. Client scope.
struct JobServiceHandler: Hodei_V1_JobServiceProvider {
    let coordinator: JobCoordinator
    let store: any JobStore
    let hub: JobEventHub
    let authenticator: Authenticator

    static let defaultPageSize = 100
    static let maxPageSize = 1000
    static let maxLogPage = 10_000

    func submitJob(request: Hodei_V1_SubmitJobRequest, context: ServerContext) async throws -> Hodei_V1_SubmitJobResponse {
        try authenticator.authorize(context.metadata, allowing: [.client])
        let submission = try await coordinator.submit(request)
        do {
            try await submission.ticket?.durable()
        } catch {
            await coordinator.forgetFailedSubmission(jobID: submission.response.jobId)
            throw RPCError.store(error)
        }
        return submission.response
    }

    func getJob(request: Hodei_V1_GetJobRequest, context: ServerContext) async throws -> Hodei_V1_Job {
        try authenticator.authorize(context.metadata, allowing: [.client])
        return try await job(request.jobId)
    }

    func listJobs(request: Hodei_V1_ListJobsRequest, context: ServerContext) async throws -> Hodei_V1_ListJobsResponse {
        try authenticator.authorize(context.metadata, allowing: [.client])
        var query = JobQuery(states: Set(request.states.filter { $0 != .unspecified }), labels: request.labelSelector, workerID: request.workerId)
        query.pageSize = request.pageSize == 0 ? Self.defaultPageSize : min(Int(request.pageSize), Self.maxPageSize)
        if !request.pageToken.isEmpty {
            guard let cursor = PageToken.decode(request.pageToken) else {
                throw RPCError(code: .invalidArgument, message: "page_token is not a token this server issued")
            }
            query.before = cursor
        }
        let page: JobPage
        do { page = try await store.jobs(matching: query) } catch { throw RPCError.store(error) }
        // The store may trail memory by a commit; show each job as the coordinator knows it now.
        let current = await coordinator.currentJobs(ids: page.jobs.map(\.job.id))
        var response = Hodei_V1_ListJobsResponse()
        response.jobs = page.jobs.map { current[$0.job.id] ?? $0.job }
        response.nextPageToken = page.nextCursor.map(PageToken.encode) ?? ""
        return response
    }

    func cancelJob(request: Hodei_V1_CancelJobRequest, context: ServerContext) async throws -> Hodei_V1_CancelJobResponse {
        try authenticator.authorize(context.metadata, allowing: [.client])
        guard !request.jobId.isEmpty else { throw RPCError(code: .invalidArgument, message: "job_id is required") }
        return try await coordinator.cancel(request)
    }

    func watchJob(request: Hodei_V1_WatchJobRequest, response: MessageWriter<Hodei_V1_JobEvent>, context: ServerContext) async throws {
        try authenticator.authorize(context.metadata, allowing: [.client])
        guard !request.jobId.isEmpty else { throw RPCError(code: .invalidArgument, message: "job_id is required") }
        try await JobWatch(request: request, coordinator: coordinator, store: store, hub: hub, writer: response).run()
    }

    func getJobLogs(request: Hodei_V1_GetJobLogsRequest, context: ServerContext) async throws -> Hodei_V1_GetJobLogsResponse {
        try authenticator.authorize(context.metadata, allowing: [.client])
        let (job, inMemory) = try await jobAndWhere(request.jobId)
        // The coordinator may know of lines (or the end) that are still being committed:
        // wait for everything written so far, so that a finished job's log reads complete.
        if inMemory { try? await store.write([]).durable() }
        let attempt = request.attempt == 0 ? job.attempt : request.attempt
        // The current attempt of a queued job has not started.
        guard attempt >= 1, attempt <= job.attempt, !(attempt == job.attempt && job.state == .queued) else {
            throw RPCError(code: .notFound, message: "job \(job.id) has no attempt \(attempt) yet")
        }
        let limit = request.limit == 0 ? 1000 : min(Int(request.limit), Self.maxLogPage)
        let stream: Hodei_V1_LogStream? = request.stream == .unspecified ? nil : request.stream
        var entries: [Hodei_V1_LogEntry]
        do {
            entries = try await store.logs(jobID: job.id, attempt: attempt, fromSequence: request.fromSequence, stream: stream, limit: limit + 1)
        } catch { throw RPCError.store(error) }
        let more = entries.count > limit
        if more { entries.removeLast() }
        var response = Hodei_V1_GetJobLogsResponse()
        response.entries = entries
        response.attempt = attempt
        response.nextSequence = (entries.last?.sequence).map { $0 + 1 } ?? max(request.fromSequence, 1)
        // Complete: nothing more will ever be added to this attempt's log.
        response.complete = !more && (job.state.isTerminal || attempt < job.attempt)
        return response
    }

    private func job(_ id: String) async throws -> Hodei_V1_Job {
        try await jobAndWhere(id).job
    }

    /// The job, and whether it came from the coordinator's memory (active or just finished).
    private func jobAndWhere(_ id: String) async throws -> (job: Hodei_V1_Job, inMemory: Bool) {
        guard !id.isEmpty else { throw RPCError(code: .invalidArgument, message: "job_id is required") }
        if let job = await coordinator.currentJob(id: id) { return (job, true) }
        let stored: StoredJob?
        do { stored = try await store.job(id: id) } catch { throw RPCError.store(error) }
        guard let stored else { throw RPCError(code: .notFound, message: "job \(id) not found") }
        return (stored.job, false)
    }
}

/// ListJobs page tokens: the cursor, opaque to clients.
enum PageToken {
    static func encode(_ cursor: UInt64) -> String { "c" + String(cursor, radix: 36) }

    static func decode(_ token: String) -> UInt64? {
        guard token.first == "c" else { return nil }
        return UInt64(token.dropFirst(), radix: 36)
    }
}
