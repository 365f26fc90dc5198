import Foundation
import JobAPI
import ProtoRPC
import RPCCore
import RPCTransportHTTP2
import XCTest

/// A scripted agent speaking the worker protocol through the real transport, so tests
/// drive the server's side exactly: what it sends, when it acks, how it reacts to loss.
final class FakeAgent: @unchecked Sendable {
    let name: String
    let client: Hodei_V1_WorkerServiceClient
    private(set) var workerID = ""
    private(set) var call: StreamingCall<Hodei_V1_WorkerMessage, Hodei_V1_ServerMessage>?
    private var iterator: ResponseStream<Hodei_V1_ServerMessage>.AsyncIterator?
    let sessionID = UUID().uuidString
    private(set) var sequence: UInt64 = 0
    private(set) var attachAck: Hodei_V1_AttachAck?

    init(name: String, transport: GRPCClient) {
        self.name = name
        self.client = Hodei_V1_WorkerServiceClient(transport: transport)
    }

    @discardableResult
    func register(cpu: UInt32 = 4000, memory: UInt32 = 8192, maxJobs: UInt32 = 4, labels: [String: String] = [:]) async throws -> Hodei_V1_RegisterWorkerResponse {
        var request = Hodei_V1_RegisterWorkerRequest()
        request.name = name
        var capabilities = Hodei_V1_WorkerCapabilities()
        var total = Hodei_V1_ResourceQuota()
        total.cpuMillicores = cpu
        total.memoryMb = memory
        capabilities.total = total
        capabilities.maxConcurrentJobs = maxJobs
        capabilities.labels = labels
        request.capabilities = capabilities
        let response = try await client.registerWorker(request, metadata: TestServer.workerAuth)
        workerID = response.workerId
        return response
    }

    /// Opens the JobStream and attaches; returns the AttachAck.
    @discardableResult
    func attach(running: [Hodei_V1_JobAttempt] = [], lastAck: UInt64 = 0) async throws -> Hodei_V1_AttachAck {
        let call = try await client.jobStream(metadata: TestServer.workerAuth)
        self.call = call
        iterator = call.responses.makeAsyncIterator()
        var attach = Hodei_V1_AttachRequest()
        attach.workerId = workerID
        attach.sessionId = sessionID
        attach.runningJobs = running
        attach.lastAckSequence = lastAck
        var message = Hodei_V1_WorkerMessage()
        message.kind = .attach(attach)
        try await call.send(message)
        guard let first = try await next(), case .attachAck(let ack) = first.kind else {
            throw RPCError(code: .internal, message: "expected attach_ack")
        }
        attachAck = ack
        return ack
    }

    /// The next server message, skipping acks unless asked for.
    func next(includeAcks: Bool = false) async throws -> Hodei_V1_ServerMessage? {
        while true {
            guard var iterator else { return nil }
            let message = try await iterator.next()
            self.iterator = iterator
            guard let message else { return nil }
            if case .ack = message.kind, !includeAcks { continue }
            return message
        }
    }

    func nextAssignment() async throws -> Hodei_V1_AssignJobRequest {
        guard let message = try await next(), case .assign(let assign) = message.kind else {
            throw RPCError(code: .internal, message: "expected an assignment")
        }
        return assign
    }

    func send(_ kind: Hodei_V1_WorkerMessage.Kind, sequenced: Bool = true, sequence explicit: UInt64? = nil) async throws {
        var message = Hodei_V1_WorkerMessage()
        if let explicit {
            message.sequence = explicit
        } else if sequenced {
            sequence += 1
            message.sequence = sequence
        }
        message.kind = kind
        try await call?.send(message)
    }

    func accept(_ assign: Hodei_V1_AssignJobRequest, pid: UInt32 = 4242) async throws {
        var accepted = Hodei_V1_JobAccepted()
        accepted.jobId = assign.jobId
        accepted.attempt = assign.attempt
        accepted.workerId = workerID
        accepted.pid = pid
        try await send(.accepted(accepted))
    }

    func log(_ assign: Hodei_V1_AssignJobRequest, sequence: UInt64, _ line: String, stream: Hodei_V1_LogStream = .stdout) async throws {
        var entry = Hodei_V1_LogEntry()
        entry.jobId = assign.jobId
        entry.attempt = assign.attempt
        entry.sequence = sequence
        entry.stream = stream
        entry.line = Array(line.utf8)
        try await send(.log(entry))
    }

    func finish(_ jobID: String, attempt: UInt32, exitCode: Int32 = 0, state: Hodei_V1_JobState = .succeeded, lastLog: UInt64 = 0) async throws {
        var result = Hodei_V1_JobResult()
        result.jobId = jobID
        result.attempt = attempt
        result.termination = .exitCode(exitCode)
        result.finalState = state
        result.lastLogSequence = lastLog
        try await send(.result(result))
    }

    func heartbeat() async throws {
        var heartbeat = Hodei_V1_Heartbeat()
        heartbeat.workerId = workerID
        heartbeat.cpuUsagePercent = 12.5
        heartbeat.memoryUsedMb = 100
        try await send(.heartbeat(heartbeat), sequenced: false)
    }

    /// Waits until an Ack covering `sequence` arrives; other messages meanwhile are dropped,
    /// so use it only when nothing else is due.
    func waitForAck(_ sequence: UInt64) async throws {
        while true {
            guard let message = try await next(includeAcks: true) else { throw RPCError(code: .unavailable, message: "stream ended") }
            if case .ack(let ack) = message.kind, ack.sequence >= sequence { return }
        }
    }

    func closeStream() async { await call?.finish() }
    func dropStream() { call?.cancel() }
}
