import JobAPI
import JobStore
import ProtoRPC
import ProtoRuntime
import RPCCore

/// One WatchJob call: replays stored events, then follows live ones, until the event that
/// ends the job. Live events come from the hub after they are durable, so whatever this
/// watcher missed live (its buffer overflowed, or it subscribed mid-write) is in the store:
/// on a gap it re-reads from there.
struct JobWatch {
    let request: Hodei_V1_WatchJobRequest
    let coordinator: JobCoordinator
    let store: any JobStore
    let hub: JobEventHub
    let writer: MessageWriter<Hodei_V1_JobEvent>

    static let replayPage = 1000

    /// Highest sequence dealt with (delivered, or skipped as a log event).
    private final class Cursor { var last: UInt64 = 0 }

    func run() async throws {
        let cursor = Cursor()
        var first = true
        while !Task.isCancelled {
            let subscription = hub.subscribe(jobID: request.jobId)
            defer { hub.unsubscribe(jobID: request.jobId, id: subscription.id) }
            if first {
                first = false
                if request.fromSequence == 0 {
                    guard let (job, active) = try await currentJob() else {
                        throw RPCError(code: .notFound, message: "job \(request.jobId) not found")
                    }
                    var event = Hodei_V1_JobEvent()
                    event.sequence = job.lastEventSequence
                    event.timestamp = .now
                    event.kind = .snapshot(job)
                    try await writer.write(event)
                    cursor.last = job.lastEventSequence
                    if !active || job.state.isTerminal { return }
                } else {
                    guard try await currentJob() != nil else {
                        throw RPCError(code: .notFound, message: "job \(request.jobId) not found")
                    }
                    cursor.last = request.fromSequence - 1
                    if try await catchUp(cursor) { return }
                }
            } else {
                if try await catchUp(cursor) { return }
            }
            for await event in subscription.events {
                if event.sequence <= cursor.last { continue }
                if event.sequence > cursor.last + 1, try await catchUp(cursor, before: event.sequence) { return }
                if try await deliver(event, cursor) { return }
            }
            // The live stream ended: this watcher fell behind (or the server is stopping).
            // Loop: subscribe again and catch up from the store.
        }
    }

    /// Sends one event unless it is a log event the caller did not ask for. Returns true
    /// when the event ended the job.
    private func deliver(_ event: Hodei_V1_JobEvent, _ cursor: Cursor) async throws -> Bool {
        cursor.last = event.sequence
        if case .log = event.kind, !request.includeLogs { return false }
        try await writer.write(event)
        if case .stateChanged(let change) = event.kind, change.state.isTerminal { return true }
        return false
    }

    /// Delivers stored events after the cursor (and before `limit`, if given). Returns true
    /// when the job's end was delivered, or the job has ended and everything was sent.
    private func catchUp(_ cursor: Cursor, before limit: UInt64? = nil) async throws -> Bool {
        while true {
            let page: [Hodei_V1_JobEvent]
            do {
                page = try await store.events(jobID: request.jobId, fromSequence: cursor.last + 1,
                                              includeLogs: request.includeLogs, limit: Self.replayPage)
            } catch { throw RPCError.store(error) }
            for event in page {
                if let limit, event.sequence >= limit { return false }
                if try await deliver(event, cursor) { return true }
            }
            if page.count < Self.replayPage { break }
        }
        if let limit { cursor.last = max(cursor.last, limit - 1) }
        guard let (job, active) = try await currentJob() else { return true }
        return (!active || job.state.isTerminal) && cursor.last >= job.lastEventSequence
    }

    private func currentJob() async throws -> (Hodei_V1_Job, Bool)? {
        if let found = await coordinator.snapshot(jobID: request.jobId) { return (found.job, found.active) }
        let stored: StoredJob?
        do { stored = try await store.job(id: request.jobId) } catch { throw RPCError.store(error) }
        return stored.map { ($0.job, false) }
    }
}
