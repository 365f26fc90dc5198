import JobAPI
import ProtoRPC
import RPCCore
import Synchronization

/// An in-memory WorkerService for the operator calls (ListWorkers, GetWorkerStatus,
/// DrainWorker); the agent calls answer UNIMPLEMENTED.
final class FakeWorkerService: Hodei_V1_WorkerServiceProvider {
    let token: String
    let workers: Mutex<[Hodei_V1_WorkerStatus]>
    let drainRequests = Mutex<[Hodei_V1_DrainWorkerRequest]>([])

    init(token: String, workers: [Hodei_V1_WorkerStatus]) {
        self.token = token
        self.workers = Mutex(workers)
    }

    var recordedDrains: [Hodei_V1_DrainWorkerRequest] { drainRequests.withLock { $0 } }

    private func authorize(_ context: ServerContext) throws {
        guard context.metadata.first("authorization") == "Bearer \(token)" else {
            throw RPCError(code: .unauthenticated, message: "invalid or missing token")
        }
    }

    func listWorkers(request: Hodei_V1_ListWorkersRequest, context: ServerContext) async throws -> Hodei_V1_ListWorkersResponse {
        try authorize(context)
        var response = Hodei_V1_ListWorkersResponse()
        response.workers = workers.withLock { $0 }.filter { request.states.isEmpty || request.states.contains($0.state) }
            .sorted { $0.name < $1.name }
        return response
    }

    func getWorkerStatus(request: Hodei_V1_GetWorkerStatusRequest, context: ServerContext) async throws -> Hodei_V1_WorkerStatus {
        try authorize(context)
        guard let worker = workers.withLock({ $0.first { $0.id == request.workerId } }) else {
            throw RPCError(code: .notFound, message: "no worker \(request.workerId)")
        }
        return worker
    }

    func drainWorker(request: Hodei_V1_DrainWorkerRequest, context: ServerContext) async throws -> Hodei_V1_WorkerStatus {
        try authorize(context)
        drainRequests.withLock { $0.append(request) }
        return try workers.withLock { workers in
            guard let index = workers.firstIndex(where: { $0.id == request.worker || $0.name == request.worker }) else {
                throw RPCError(code: .notFound, message: "no worker \(request.worker)")
            }
            workers[index].state = .draining
            return workers[index]
        }
    }

    func registerWorker(request: Hodei_V1_RegisterWorkerRequest, context: ServerContext) async throws -> Hodei_V1_RegisterWorkerResponse {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }

    func heartbeat(request: Hodei_V1_Heartbeat, context: ServerContext) async throws -> Hodei_V1_HeartbeatResponse {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }

    func jobStream(requests: MessageStream<Hodei_V1_WorkerMessage>, response: MessageWriter<Hodei_V1_ServerMessage>,
                   context: ServerContext) async throws {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }

    func assignJob(request: Hodei_V1_AssignJobToWorkerRequest, context: ServerContext) async throws -> Hodei_V1_JobAccepted {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }
}
