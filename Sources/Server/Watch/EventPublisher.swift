import JobAPI
import JobStore

/// Publishes events to watchers only once they are durable, in the order they were
/// written. What a watcher sees is therefore always in the store too, so it can resume from
/// any sequence it saw.
///
/// Publication rides on the write's ticket (a callback when it commits) instead of a task
/// awaiting each ticket in turn: waking that task for every write cost a thread switch per
/// job transition. Order holds because tickets resolve in write order, each one's callbacks
/// before the next, and `publish` is called in write order.
final class EventPublisher: Sendable {
    let hub: JobEventHub

    init(hub: JobEventHub) {
        self.hub = hub
    }

    /// Publishes `events` once `ticket` is durable (at once if it already is); events of a
    /// failed write are not published. Call in write order.
    func publish(after ticket: StoreWriteTicket, jobID: String, events: [Hodei_V1_JobEvent]) {
        ticket.whenResolved { [hub] result in
            if case .success = result { hub.publish(jobID: jobID, events: events) }
        }
    }
}
