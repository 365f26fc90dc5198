import JobAPI

/// Jobs that finished lately, newest kept, oldest evicted past `capacity`.
struct RecentJobs: Sendable {
    private var jobs: [String: Hodei_V1_Job] = [:]
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    subscript(id: String) -> Hodei_V1_Job? { jobs[id] }

    mutating func insert(_ job: Hodei_V1_Job) {
        if jobs.updateValue(job, forKey: job.id) == nil { order.append(job.id) }
        if jobs.count > capacity {
            jobs[order[head]] = nil
            head += 1
            if head > capacity { order.removeFirst(head); head = 0 }
        }
    }
}

/// Idempotency key → job id for keys seen since start, bounded like `RecentJobs`; a miss is
/// answered from the store.
struct BoundedKeyIndex: Sendable {
    private var ids: [String: String] = [:]
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    subscript(key: String) -> String? { ids[key] }

    mutating func insert(key: String, jobID: String) {
        if ids.updateValue(jobID, forKey: key) == nil { order.append(key) }
        if ids.count > capacity {
            ids[order[head]] = nil
            head += 1
            if head > capacity { order.removeFirst(head); head = 0 }
        }
    }
}
