import Foundation
import JobAPI
import ProtoRuntime
import ProtoRPC
import RPCCore
import RPCTransportHTTP2
import Synchronization

/// One simulated agent: registers, holds a JobStream on its connection from the pool,
/// answers each assignment per its executor, heartbeats on the stream, counts acks, and
/// re-attaches (resending what was not acknowledged) whenever the stream breaks.
final class SimulatedWorker: Sendable {
    let index: Int
    let name: String
    let sessionID = UUID().uuidString
    private let fleet: FleetContext
    private let outbox = WorkerOutbox()
    private let control = Mutex(Control())

    private struct Control {
        var workerID = ""
        var stopping = false
        var sessions = 0
    }

    /// The event loop of this worker's connection: its stream's tasks run there, so that a
    /// message in and the answer out cost no thread switch.
    var taskExecutor: any TaskExecutor { fleet.pool.client(for: index).taskExecutor }

    init(index: Int, name: String, fleet: FleetContext) {
        self.index = index
        self.name = name
        self.fleet = fleet
    }

    var workerID: String { control.withLock { $0.workerID } }
    var heldJobs: Int { outbox.heldJobs }

    func stop() { control.withLock { $0.stopping = true } }
    private var stopping: Bool { control.withLock { $0.stopping } }

    /// RegisterWorker; returns the worker id.
    @discardableResult
    func register() async throws -> String {
        var request = Hodei_V1_RegisterWorkerRequest()
        request.name = name
        var capabilities = Hodei_V1_WorkerCapabilities()
        var total = Hodei_V1_ResourceQuota()
        total.cpuMillicores = fleet.behaviour.cpuMillicores
        total.memoryMb = fleet.behaviour.memoryMB
        capabilities.total = total
        capabilities.maxConcurrentJobs = fleet.behaviour.slots
        capabilities.agentVersion = "hodei-load"
        request.capabilities = capabilities
        let client = Hodei_V1_WorkerServiceClient(transport: fleet.pool.client(for: index))
        let response = try await client.registerWorker(request, metadata: fleet.metadata)
        control.withLock { $0.workerID = response.workerId }
        return response.workerId
    }

    /// Attaches and serves streams until `stop()`, re-attaching after each break
    /// (immediately the first time, then with a short backoff). `firstAttach` runs once the
    /// first AttachAck arrived or the first attempt failed.
    func run(firstAttach: @escaping @Sendable (Bool) -> Void) async {
        var failures = 0
        var reported = false
        while !stopping && !Task.isCancelled {
            do {
                if workerID.isEmpty { try await register() }
                try await serveStream {
                    if !reported { reported = true; firstAttach(true) }
                    failures = 0
                }
            } catch {
                if stopping || Task.isCancelled { break }
                if fleet.isDropping {
                    fleet.reconnects.increment()
                } else {
                    fleet.errors.record(workerID.isEmpty ? "RegisterWorker" : "JobStream", error)
                }
                // The server lost or failed this worker: register again under the same name.
                if let rpc = error as? RPCError, rpc.code == .notFound || rpc.code == .failedPrecondition {
                    control.withLock { $0.workerID = "" }
                }
                failures += 1
                if !reported && failures >= fleet.maxAttachFailures { reported = true; firstAttach(false) }
            }
            if stopping || Task.isCancelled { break }
            if failures > 1 {
                let backoff = min(1_000, 25 << min(failures - 2, 6))
                try? await Task.sleep(for: .milliseconds(Int.random(in: backoff / 2...backoff)))
            }
        }
        if !reported { firstAttach(false) }
    }

    /// One JobStream, from attach to its end. Returns when the server ends it normally;
    /// throws when it breaks.
    private func serveStream(attached: () -> Void) async throws {
        let workers = Hodei_V1_WorkerServiceClient(transport: fleet.pool.client(for: index))
        let call = try await workers.jobStream(metadata: fleet.metadata)
        defer { outbox.disconnect() }
        let report = outbox.attachReport()
        var attach = Hodei_V1_AttachRequest()
        attach.workerId = workerID
        attach.sessionId = sessionID
        attach.lastAckSequence = report.lastAck
        attach.runningJobs = report.running
        attach.pendingResultJobs = report.pendingResults
        var opening = Hodei_V1_WorkerMessage()
        opening.kind = .attach(attach)
        try await call.send(opening)

        var responses = call.responses.makeAsyncIterator()
        guard let first = try await responses.next() else {
            throw RPCError(code: .unavailable, message: "JobStream ended before the AttachAck")
        }
        guard case .attachAck(let ack) = first.kind else {
            call.cancel()
            throw RPCError(code: .internal, message: "the first server message was not an AttachAck")
        }
        let (outbound, finished) = outbox.connect(lastReceived: ack.lastReceivedSequence, orphaned: ack.orphanedJobs)
        complete(finished)
        control.withLock { $0.sessions += 1 }
        fleet.attaches.increment()
        attached()
        let interval = fleet.behaviour.heartbeatOverride ?? ack.heartbeatInterval.map(Self.duration) ?? .seconds(5)
        let workerID = ack.workerId

        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await message in outbound { try await call.send(message) }
                }
                group.addTask { [outbox, fleet] in
                    // Spread the fleet's heartbeats over the interval.
                    try await Task.sleep(for: interval * Double.random(in: 0.05...1))
                    while true {
                        if outbox.heartbeat(workerID: workerID) { fleet.heartbeats.add(1, ordering: .relaxed) }
                        try await Task.sleep(for: interval)
                    }
                }
                group.addTask {
                    var iterator = call.responses.makeAsyncIterator()
                    while let message = try await iterator.next() { self.handle(message) }
                }
                try await group.next()
                call.cancel()
                group.cancelAll()
            }
        } catch {
            call.cancel()
            throw error
        }
    }

    private func handle(_ message: Hodei_V1_ServerMessage) {
        switch message.kind {
        case .assign(let assign):
            guard outbox.take(assign.jobId, attempt: assign.attempt) else { return }
            fleet.tracker.assigned(assign.jobId, at: MonotonicTime.now())
            switch fleet.behaviour.executor {
            case .noop:
                outbox.accept(assign.jobId, attempt: assign.attempt, finished: true)
            case .sleep(let delay):
                outbox.accept(assign.jobId, attempt: assign.attempt, finished: false)
                let outbox = self.outbox
                Task {
                    try? await Task.sleep(for: delay)
                    outbox.finish(assign.jobId, attempt: assign.attempt)
                }
            }
        case .cancel(let cancel):
            outbox.finish(cancel.jobId, attempt: cancel.attempt, state: .cancelled)
        case .ack(let ack):
            complete(outbox.acknowledge(upTo: ack.sequence))
        case .attachAck, .drain, .none:
            break
        }
    }

    private func complete(_ jobIDs: [String]) {
        guard !jobIDs.isEmpty else { return }
        let now = MonotonicTime.now()
        for jobID in jobIDs { fleet.tracker.completed(jobID, at: now) }
    }

    static func duration(_ value: Google_Protobuf_Duration) -> Duration {
        .seconds(value.seconds) + .nanoseconds(Int64(value.nanos))
    }
}
