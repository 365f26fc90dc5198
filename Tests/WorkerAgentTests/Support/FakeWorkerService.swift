import Foundation
import JobAPI
import ProtoRPC
import ProtoRuntime
import RPCCore
import RPCTransportHTTP2
import XCTest
@testable import WorkerAgent

/// A scripted hodei.v1.WorkerService for session tests, served by a real `GRPCServer` on
/// 127.0.0.1: registration and unary heartbeats are answered here; each JobStream runs the
/// test's script with its index (0 for the first stream).
final class FakeWorkerService: Hodei_V1_WorkerServiceProvider, @unchecked Sendable {
    typealias Script = @Sendable (_ index: Int, _ stream: FakeJobStream) async throws -> Void

    private let lock = NSLock()
    private var registrationRequests: [Hodei_V1_RegisterWorkerRequest] = []
    private var unaryHeartbeatRequests: [Hodei_V1_Heartbeat] = []
    private var streamCount = 0
    private let script: Script
    /// Answers a unary heartbeat (default: AVAILABLE).
    var heartbeatAnswer: @Sendable (Int) throws -> Hodei_V1_HeartbeatResponse = { _ in
        var response = Hodei_V1_HeartbeatResponse()
        response.state = .available
        return response
    }
    let workerId = "worker-1"
    let expectedToken = "secret-token"
    /// The heartbeat interval RegisterWorker hands out.
    var heartbeatInterval: Duration = .seconds(5)

    init(script: @escaping Script) {
        self.script = script
    }

    var registrations: [Hodei_V1_RegisterWorkerRequest] { locked { registrationRequests } }
    var unaryHeartbeats: [Hodei_V1_Heartbeat] { locked { unaryHeartbeatRequests } }
    var streamsOpened: Int { locked { streamCount } }

    /// Serves the service on 127.0.0.1; returns the server and its port.
    func serve() async throws -> (GRPCServer, Int) {
        let server = try GRPCServer(router: RPCRouter(serverMethods), eventLoops: 1)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        return (server, port)
    }

    private func checkToken(_ context: ServerContext) throws {
        guard context.metadata.first("authorization") == "Bearer \(expectedToken)" else {
            throw RPCError(code: .unauthenticated, message: "bad token")
        }
    }

    func registerWorker(request: Hodei_V1_RegisterWorkerRequest, context: ServerContext) async throws -> Hodei_V1_RegisterWorkerResponse {
        try checkToken(context)
        let count = locked {
            registrationRequests.append(request)
            return registrationRequests.count
        }
        var response = Hodei_V1_RegisterWorkerResponse()
        response.workerId = workerId
        response.resumed = count > 1
        response.heartbeatInterval = Google_Protobuf_Duration(heartbeatInterval)
        response.settings = Self.settings()
        return response
    }

    func heartbeat(request: Hodei_V1_Heartbeat, context: ServerContext) async throws -> Hodei_V1_HeartbeatResponse {
        try checkToken(context)
        let count = locked {
            unaryHeartbeatRequests.append(request)
            return unaryHeartbeatRequests.count
        }
        return try heartbeatAnswer(count)
    }

    func jobStream(requests: MessageStream<Hodei_V1_WorkerMessage>, response: MessageWriter<Hodei_V1_ServerMessage>, context: ServerContext) async throws {
        try checkToken(context)
        let index = locked {
            defer { streamCount += 1 }
            return streamCount
        }
        try await script(index, FakeJobStream(requests: requests, writer: response))
    }

    func getWorkerStatus(request: Hodei_V1_GetWorkerStatusRequest, context: ServerContext) async throws -> Hodei_V1_WorkerStatus {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }

    func assignJob(request: Hodei_V1_AssignJobToWorkerRequest, context: ServerContext) async throws -> Hodei_V1_JobAccepted {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }

    func listWorkers(request: Hodei_V1_ListWorkersRequest, context: ServerContext) async throws -> Hodei_V1_ListWorkersResponse {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }

    func drainWorker(request: Hodei_V1_DrainWorkerRequest, context: ServerContext) async throws -> Hodei_V1_WorkerStatus {
        throw RPCError(code: .unimplemented, message: "not in the fake")
    }

    /// The settings the fake hands out: small chunks and window, so tests exercise them.
    static func settings(maxUnacked: UInt32 = 64) -> Hodei_V1_WorkerSettings {
        var settings = Hodei_V1_WorkerSettings()
        settings.maxLogChunkBytes = 1000
        settings.maxUnackedMessages = maxUnacked
        settings.cancelGracePeriod = Google_Protobuf_Duration(.seconds(2))
        settings.maxReconnectBackoff = Google_Protobuf_Duration(.seconds(1))
        return settings
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// One JobStream as the fake server sees it. Used only by the handler's task.
final class FakeJobStream {
    private var iterator: MessageStream<Hodei_V1_WorkerMessage>.AsyncIterator
    private let writer: MessageWriter<Hodei_V1_ServerMessage>
    /// Heartbeats received on this stream.
    private(set) var heartbeats: [Hodei_V1_Heartbeat] = []

    init(requests: MessageStream<Hodei_V1_WorkerMessage>, writer: MessageWriter<Hodei_V1_ServerMessage>) {
        self.iterator = requests.makeAsyncIterator()
        self.writer = writer
    }

    /// The next non-heartbeat message; nil when the agent closed its side.
    func next() async throws -> Hodei_V1_WorkerMessage? {
        while let message = try await iterator.next() {
            if case .heartbeat(let heartbeat) = message.kind {
                XCTAssertEqual(message.sequence, 0, "heartbeats are not sequenced")
                heartbeats.append(heartbeat)
                continue
            }
            return message
        }
        return nil
    }

    /// Reads (and acknowledges) messages until a heartbeat satisfies `predicate`; returns the
    /// other messages read meanwhile.
    func readUntilHeartbeat(_ predicate: (Hodei_V1_Heartbeat) -> Bool) async throws -> [Hodei_V1_WorkerMessage] {
        var others: [Hodei_V1_WorkerMessage] = []
        while let message = try await iterator.next() {
            if case .heartbeat(let heartbeat) = message.kind {
                heartbeats.append(heartbeat)
                if predicate(heartbeat) { return others }
                continue
            }
            others.append(message)
            try await sendAck(message.sequence)
        }
        XCTFail("the agent closed the stream early")
        return others
    }

    /// Reads the attach request (fails the test if the first message is something else).
    func expectAttach() async throws -> Hodei_V1_AttachRequest {
        guard let message = try await next(), case .attach(let attach) = message.kind else {
            throw RPCError(code: .invalidArgument, message: "the first message is not attach")
        }
        XCTAssertEqual(message.sequence, 0, "attach is not sequenced")
        return attach
    }

    func send(_ kind: Hodei_V1_ServerMessage.Kind) async throws {
        var message = Hodei_V1_ServerMessage()
        message.kind = kind
        try await writer.write(message)
    }

    func sendAttachAck(lastReceived: UInt64, orphans: [JobKey] = [], maxUnacked: UInt32 = 64, heartbeat: Duration = .seconds(5)) async throws {
        var ack = Hodei_V1_AttachAck()
        ack.workerId = "worker-1"
        ack.lastReceivedSequence = lastReceived
        ack.heartbeatInterval = Google_Protobuf_Duration(heartbeat)
        ack.settings = FakeWorkerService.settings(maxUnacked: maxUnacked)
        ack.orphanedJobs = orphans.map(\.proto)
        ack.state = .available
        try await send(.attachAck(ack))
    }

    func sendAssign(_ job: JobKey, argv: [String], priority: Hodei_V1_Priority = .normal) async throws {
        var request = Hodei_V1_AssignJobRequest()
        request.jobId = job.jobId
        request.attempt = job.attempt
        var spec = Hodei_V1_JobSpec()
        spec.argv = argv
        spec.priority = priority
        request.spec = spec
        try await send(.assign(request))
    }

    func sendAck(_ sequence: UInt64) async throws {
        var ack = Hodei_V1_Ack()
        ack.sequence = sequence
        try await send(.ack(ack))
    }

    func sendCancel(_ job: JobKey, reason: String) async throws {
        var cancel = Hodei_V1_CancelJobRequest()
        cancel.jobId = job.jobId
        cancel.attempt = job.attempt
        cancel.reason = reason
        cancel.gracePeriod = Google_Protobuf_Duration(.seconds(2))
        try await send(.cancel(cancel))
    }

    func sendDrain(reason: String) async throws {
        var drain = Hodei_V1_DrainRequest()
        drain.reason = reason
        try await send(.drain(drain))
    }

    /// Reads and acknowledges messages (one Ack per message) until `stop` says so; returns
    /// them. Fails the test if the agent closes first.
    func acknowledgeUntil(every: Int = 1, _ stop: (Hodei_V1_WorkerMessage) -> Bool) async throws -> [Hodei_V1_WorkerMessage] {
        var received: [Hodei_V1_WorkerMessage] = []
        while let message = try await next() {
            received.append(message)
            let last = stop(message)
            if last || received.count % every == 0 { try await sendAck(message.sequence) }
            if last { return received }
        }
        XCTFail("the agent closed the stream early")
        return received
    }
}
