import JobAPI
import JobStore

/// Publishes events to watchers only once they are durable, in the order they were
/// written: one task awaits each write's ticket in turn. What a watcher sees is therefore
/// always in the store too, so it can resume from any sequence it saw.
final class EventPublisher: Sendable {
    private struct Pending: Sendable {
        let ticket: StoreWriteTicket
        let jobID: String
        let events: [Hodei_V1_JobEvent]
    }

    private let continuation: AsyncStream<Pending>.Continuation
    private let pending: AsyncStream<Pending>
    let hub: JobEventHub

    init(hub: JobEventHub) {
        self.hub = hub
        (pending, continuation) = AsyncStream.makeStream(of: Pending.self)
    }

    /// Queues events to publish after `ticket` is durable. Call in write order.
    func publish(after ticket: StoreWriteTicket, jobID: String, events: [Hodei_V1_JobEvent]) {
        continuation.yield(Pending(ticket: ticket, jobID: jobID, events: events))
    }

    /// Runs until `finish()`; events of a failed write are not published.
    func run() async {
        for await item in pending {
            if (try? await item.ticket.durable()) != nil {
                hub.publish(jobID: item.jobID, events: item.events)
            }
        }
    }

    func finish() { continuation.finish() }
}
