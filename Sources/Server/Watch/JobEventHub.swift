import JobAPI
import Synchronization

/// Fans a job's committed events out to its live watchers. Each watcher has a bounded
/// buffer: a watcher that falls behind loses live events (it sees a gap in the sequence
/// and re-reads them from the store), so a slow watcher never slows the coordinator.
final class JobEventHub: Sendable {
    struct Subscription: Sendable {
        let id: UInt64
        let jobID: String
        let events: AsyncStream<Hodei_V1_JobEvent>
    }

    private struct State {
        var nextID: UInt64 = 1
        var watchers: [String: [UInt64: AsyncStream<Hodei_V1_JobEvent>.Continuation]] = [:]
    }

    private let state = Mutex(State())
    let bufferLimit: Int

    init(bufferLimit: Int = 4096) {
        self.bufferLimit = bufferLimit
    }

    func subscribe(jobID: String) -> Subscription {
        let (stream, continuation) = AsyncStream.makeStream(of: Hodei_V1_JobEvent.self, bufferingPolicy: .bufferingOldest(bufferLimit))
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.watchers[jobID, default: [:]][id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(jobID: jobID, id: id) }
        return Subscription(id: id, jobID: jobID, events: stream)
    }

    func unsubscribe(jobID: String, id: UInt64) {
        let continuation = state.withLock { state -> AsyncStream<Hodei_V1_JobEvent>.Continuation? in
            let removed = state.watchers[jobID]?.removeValue(forKey: id)
            if state.watchers[jobID]?.isEmpty == true { state.watchers[jobID] = nil }
            return removed
        }
        continuation?.finish()
    }

    /// Delivers committed events of one job to its watchers, in order. A watcher whose buffer
    /// is full is cut off (its stream ends); it catches up from the store and subscribes again.
    func publish(jobID: String, events: [Hodei_V1_JobEvent]) {
        let watchers = state.withLock { state in state.watchers[jobID].map { Array($0) } ?? [] }
        for (id, continuation) in watchers {
            for event in events {
                if case .dropped = continuation.yield(event) {
                    unsubscribe(jobID: jobID, id: id)
                    break
                }
            }
        }
    }

    var watcherCount: Int { state.withLock { $0.watchers.values.reduce(0) { $0 + $1.count } } }
}
