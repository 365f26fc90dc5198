import JobAPI
import ProtoRPC
import RPCCore
import Synchronization

/// `hodei.v1.WorkerService`: what agents call (worker scope), plus the operator calls
/// ListWorkers, DrainWorker, AssignJob and GetWorkerStatus (client scope).
struct WorkerServiceHandler: Hodei_V1_WorkerServiceProvider {
    let coordinator: JobCoordinator
    let authenticator: Authenticator
    private static let serials = Atomic<UInt64>(1)

    /// How long AssignJob waits for the agent when the call has no deadline.
    static let defaultAssignWait: Duration = .seconds(30)

    func registerWorker(request: Hodei_V1_RegisterWorkerRequest, context: ServerContext) async throws -> Hodei_V1_RegisterWorkerResponse {
        try authenticator.authorize(context.metadata, allowing: [.worker])
        return try await coordinator.register(request)
    }

    func heartbeat(request: Hodei_V1_Heartbeat, context: ServerContext) async throws -> Hodei_V1_HeartbeatResponse {
        try authenticator.authorize(context.metadata, allowing: [.worker])
        return try await coordinator.heartbeat(request)
    }

    func jobStream(requests: MessageStream<Hodei_V1_WorkerMessage>, response: MessageWriter<Hodei_V1_ServerMessage>, context: ServerContext) async throws {
        try authenticator.authorize(context.metadata, allowing: [.worker])
        var opening = requests.makeAsyncIterator()
        guard let first = try await opening.next() else { return }
        guard case .attach(let attach) = first.kind else {
            throw RPCError(code: .invalidArgument, message: "the first JobStream message must be attach")
        }
        let serial = Self.serials.wrappingAdd(1, ordering: .relaxed).oldValue
        let session = WorkerSession(workerID: attach.workerId, agentSessionID: attach.sessionId, serial: serial)
        let acks = AckTracker(session: session)
        let attachAck = try await coordinator.attach(attach, session: session, acks: acks)
        let workerID = attachAck.workerId
        var opened = Hodei_V1_ServerMessage()
        opened.kind = .attachAck(attachAck)
        try await response.write(opened)
        await coordinator.attachCompleted(workerID: workerID, serial: serial)

        // Two tasks per attached worker, this one and one child, since an idle fleet of
        // 10,000 workers holds them all: Acks need none (see AckTracker).
        defer { acks.finish() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Up: the agent's messages, in order. Ends the session when the agent closes its
            // side or a message fails, which ends the loop below.
            group.addTask { [coordinator] in
                defer { session.close() }
                // The request stream has one consumer at a time: this iterator continues
                // where `opening` stopped.
                var inbound = requests.makeAsyncIterator()
                while let message = try await inbound.next() {
                    let ticket = try await coordinator.handle(message, workerID: workerID, serial: serial)
                    if message.sequence != 0 { acks.processed(sequence: message.sequence, ticket: ticket) }
                }
            }
            do {
                // Down: assignments, cancellations and Acks, through the transport's flow
                // control, until the session closes: the inbound side ended, or the
                // coordinator closed it (replaced, failed).
                for try await message in session.outbound { try await response.write(message) }
                group.cancelAll()
                // The inbound side's error, if it failed, is the call's; when the coordinator
                // closed the session, the inbound side was only cancelled.
                do { try await group.waitForAll() } catch is CancellationError {}
                await coordinator.detach(workerID: workerID, serial: serial)
            } catch {
                group.cancelAll()
                await coordinator.detach(workerID: workerID, serial: serial)
                throw error
            }
        }
    }

    func getWorkerStatus(request: Hodei_V1_GetWorkerStatusRequest, context: ServerContext) async throws -> Hodei_V1_WorkerStatus {
        try authenticator.authorize(context.metadata, allowing: [.client, .worker])
        return try await coordinator.status(workerID: request.workerId)
    }

    func assignJob(request: Hodei_V1_AssignJobToWorkerRequest, context: ServerContext) async throws -> Hodei_V1_JobAccepted {
        try authenticator.authorize(context.metadata, allowing: [.client])
        guard !request.jobId.isEmpty, !request.workerId.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "job_id and worker_id are required")
        }
        let deadline = context.deadline ?? .now + Self.defaultAssignWait
        let coordinator = self.coordinator
        let jobID = request.jobId
        // The timer gives up the wait at the deadline; the job then stays ASSIGNED like any
        // other unanswered assignment.
        let timer = Task {
            try await Task.sleep(until: deadline, clock: .continuous)
            await coordinator.abandonAssignWait(jobID: jobID)
        }
        defer { timer.cancel() }
        return try await coordinator.assignDirectly(jobID: request.jobId, workerID: request.workerId)
    }

    func listWorkers(request: Hodei_V1_ListWorkersRequest, context: ServerContext) async throws -> Hodei_V1_ListWorkersResponse {
        try authenticator.authorize(context.metadata, allowing: [.client])
        var response = Hodei_V1_ListWorkersResponse()
        response.workers = await coordinator.listWorkers(states: Set(request.states.filter { $0 != .unspecified }))
        return response
    }

    func drainWorker(request: Hodei_V1_DrainWorkerRequest, context: ServerContext) async throws -> Hodei_V1_WorkerStatus {
        try authenticator.authorize(context.metadata, allowing: [.client])
        guard !request.worker.isEmpty else { throw RPCError(code: .invalidArgument, message: "worker is required") }
        return try await coordinator.drain(worker: request.worker, reason: request.reason.isEmpty ? "drain requested" : request.reason)
    }
}
