import JobAPI

/// A map that keeps only its newest `capacity` keys: inserting past it evicts the oldest.
struct BoundedRecentMap<Value: Sendable>: Sendable {
    private var values: [String: Value] = [:]
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    subscript(key: String) -> Value? { values[key] }

    mutating func insert(_ value: Value, for key: String) {
        if values.updateValue(value, forKey: key) == nil { order.append(key) }
        if values.count > capacity {
            values[order[head]] = nil
            head += 1
            // Compact the order list once its evicted prefix is as long as the capacity.
            if head > capacity { order.removeFirst(head); head = 0 }
        }
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
