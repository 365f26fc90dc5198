import JobAPI

/// A map that keeps only its newest `capacity` keys: inserting past it evicts the oldest.
///
/// Its storage is reserved for `capacity` up front, and the insertion order is a ring: the
/// map never grows or compacts while the server runs. Growing a dictionary of a few thousand
/// jobs rehashes them all on the coordinator's loop, and compacting the order list released
/// `capacity` keys at once: stalls of 1.5 to 3 ms that held up every call behind them
/// (measured with `perf sched` during one-at-a-time dispatch). Reserving costs address space,
/// not memory: pages are touched as keys arrive.
struct BoundedRecentMap<Value: Sendable>: Sendable {
    private var values: [String: Value] = [:]
    /// Keys in insertion order, as a ring once full: `order[oldest]` is evicted next.
    private var order: [String] = []
    private var oldest = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        values.reserveCapacity(self.capacity + 1)
        order.reserveCapacity(self.capacity)
    }

    var count: Int { values.count }

    subscript(key: String) -> Value? { values[key] }

    mutating func insert(_ value: Value, for key: String) {
        guard values.updateValue(value, forKey: key) == nil else { return }
        if order.count < capacity {
            order.append(key)
            return
        }
        values[order[oldest]] = nil
        order[oldest] = key
        oldest = (oldest + 1) % capacity
    }
}

/// Jobs that finished lately, by id.
typealias RecentJobs = BoundedRecentMap<Hodei_V1_Job>

extension BoundedRecentMap<Hodei_V1_Job> {
    mutating func insert(_ job: Hodei_V1_Job) { insert(job, for: job.id) }
}

/// Idempotency key → job id for keys seen since start; a miss is answered from the store.
typealias BoundedKeyIndex = BoundedRecentMap<String>

extension BoundedRecentMap<String> {
    mutating func insert(key: String, jobID: String) { insert(jobID, for: key) }
}
