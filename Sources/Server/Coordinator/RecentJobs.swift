import JobAPI

/// A map that keeps only its newest `capacity` keys: inserting past it evicts the oldest.
///
/// The values live in a ring of entries, in insertion order; the dictionary maps each key to
/// its slot. A dictionary of the values themselves moved whole jobs (hundreds of bytes each)
/// on every eviction, as deleting from an open-addressing table shifts the entries after it:
/// 2 % of the server's CPU at full dispatch load. Here the dictionary moves integers.
///
/// Storage is reserved for `capacity` up front and the map never grows or compacts while the
/// server runs. Growing a dictionary of a few thousand jobs rehashes them all on the
/// coordinator's loop, and compacting an order list released `capacity` keys at once: stalls
/// of 1.5 to 3 ms that held up every call behind them (measured with `perf sched` during
/// one-at-a-time dispatch). Reserving costs address space, not memory: pages are touched as
/// keys arrive.
struct BoundedRecentMap<Value: Sendable>: Sendable {
    private var slots: [String: Int] = [:]
    /// Entries in insertion order, as a ring once full: `entries[oldest]` is evicted next.
    private var entries: [(key: String, value: Value)] = []
    private var oldest = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        slots.reserveCapacity(self.capacity + 1)
        entries.reserveCapacity(self.capacity)
    }

    var count: Int { slots.count }

    subscript(key: String) -> Value? {
        guard let slot = slots[key] else { return nil }
        return entries[slot].value
    }

    /// Adds `value` as the newest entry; an existing key's value is replaced in place.
    mutating func insert(_ value: Value, for key: String) {
        if let slot = slots[key] {
            entries[slot].value = value
            return
        }
        if entries.count < capacity {
            slots[key] = entries.count
            entries.append((key, value))
            return
        }
        slots[entries[oldest].key] = nil
        entries[oldest] = (key, value)
        slots[key] = oldest
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
