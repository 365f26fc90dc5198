/// The three priority queues, FIFO within a priority, organised by shape (see `JobShape`).
///
/// Each priority has a min-heap of (sequence number of a shape's first job, shape id) over the
/// shapes that are not blocked, so the oldest placeable job of a priority is found in
/// O(log shapes) however long the queue is. Heap entries are checked lazily: an entry whose
/// shape is gone, blocked, or whose first job changed is dropped when it reaches the top.
struct JobQueue: Sendable {
    struct QueuedJob: Sendable {
        var job: SchedulableJob
        var shapeID: Int
        var seq: Int
    }

    private var jobs: [String: QueuedJob] = [:]
    /// Indexed by shape id; ids of dropped shapes are reused (their `isLive` is false meanwhile).
    /// An array rather than a dictionary so that reading one field does not copy a whole shape.
    private var shapes: [JobShape] = []
    private var vacantShapeIDs: [Int] = []
    private var shapeIDs: [JobShape.Key: Int] = [:]
    private var requirements: [[String: String]: LabelRequirement] = [[:]: .none]
    private var heads: [MinHeap<Int>] = Array(repeating: MinHeap(), count: SchedulingPriority.allCases.count)
    private var counts: [Int] = Array(repeating: 0, count: SchedulingPriority.allCases.count)
    /// Back insertions count up from 0, front insertions down from -1: one order per priority.
    private var nextBackSeq = 0
    private var nextFrontSeq = -1
    /// Shapes with a scope (blocked ones included): those that worker growth concerns.
    private(set) var scoped: Set<Int> = []

    var count: Int { jobs.count }
    var shapeCount: Int { shapeIDs.count }

    func count(_ priority: SchedulingPriority) -> Int { counts[priority.rawValue] }

    func contains(jobID: String) -> Bool { jobs[jobID] != nil }

    /// What a search for `shapeID` needs.
    func searchTerms(_ shapeID: Int) -> (resources: ResourceAmount, requirement: LabelRequirement, scope: [Int]?) {
        (shapes[shapeID].resources, shapes[shapeID].requirement, shapes[shapeID].scope)
    }

    // MARK: Adding and removing

    /// Adds `job` at the back (or the front) of its priority; a job with the same id is replaced.
    mutating func insert(_ job: SchedulableJob, atFront: Bool) {
        remove(jobID: job.id)
        let requirement = intern(job.requiredLabels)
        let key = JobShape.Key(resources: job.resources, requirementID: requirement.id)
        let shapeID: Int
        if let existing = shapeIDs[key] {
            shapeID = existing
        } else {
            let shape = JobShape(resources: job.resources, requirement: requirement)
            if let vacant = vacantShapeIDs.popLast() {
                shapeID = vacant
                shapes[shapeID] = shape
            } else {
                shapeID = shapes.count
                shapes.append(shape)
            }
            shapeIDs[key] = shapeID
        }
        let seq: Int
        if atFront {
            seq = nextFrontSeq
            nextFrontSeq -= 1
        } else {
            seq = nextBackSeq
            nextBackSeq += 1
        }
        let lane = job.priority.rawValue
        jobs[job.id] = QueuedJob(job: job, shapeID: shapeID, seq: seq)
        counts[lane] += 1

        let entry = JobShape.Entry(seq: seq, jobID: job.id)
        let headChanged = atFront || shapes[shapeID].lanes[lane].isEmpty
        if atFront {
            shapes[shapeID].lanes[lane].prepend(entry)
        } else {
            shapes[shapeID].lanes[lane].append(entry)
        }
        shapes[shapeID].live[lane] += 1
        if headChanged && !shapes[shapeID].isBlocked {
            publish(seq: seq, shapeID: shapeID, lane: lane)
        }
    }

    /// Removes a queued job wherever it is. O(1) amortized: a job behind others leaves a tombstone.
    @discardableResult
    mutating func remove(jobID: String) -> SchedulableJob? {
        guard let queued = jobs.removeValue(forKey: jobID) else { return nil }
        let lane = queued.job.priority.rawValue
        counts[lane] -= 1
        shapes[queued.shapeID].live[lane] -= 1
        if shapes[queued.shapeID].live[lane] == 0 {
            shapes[queued.shapeID].lanes[lane] = FIFODeque()
            dropShapeIfEmpty(queued.shapeID)
        } else if shapes[queued.shapeID].lanes[lane].first?.seq == queued.seq {
            shapes[queued.shapeID].lanes[lane].removeFirst()
            advanceToLiveHead(shapeID: queued.shapeID, lane: lane)
        } else {
            compactIfMostlyTombstones(shapeID: queued.shapeID, lane: lane)
        }
        return queued.job
    }

    // MARK: Serving

    /// The shape holding the oldest job of `priority` among shapes not blocked, if any.
    mutating func nextShape(_ priority: SchedulingPriority) -> Int? {
        let lane = priority.rawValue
        while let top = heads[lane].min {
            let id = top.value
            if shapes[id].isLive && !shapes[id].isBlocked && shapes[id].lanes[lane].first?.seq == top.key {
                return id
            }
            heads[lane].removeMin()
        }
        return nil
    }

    /// Takes the first job of `shapeID` in `priority`, which `nextShape(priority)` returned.
    mutating func popFirst(shapeID: Int, priority: SchedulingPriority) -> SchedulableJob {
        let lane = priority.rawValue
        heads[lane].removeMin()
        let entry = shapes[shapeID].lanes[lane].removeFirst()!
        let queued = jobs.removeValue(forKey: entry.jobID)!
        counts[lane] -= 1
        shapes[shapeID].live[lane] -= 1
        advanceToLiveHead(shapeID: shapeID, lane: lane)
        return queued.job
    }

    /// Marks `shapeID`, which `nextShape(priority)` returned, as placeable on no worker.
    mutating func block(shapeID: Int, priority: SchedulingPriority) {
        heads[priority.rawValue].removeMin()
        shapes[shapeID].scope = []
        scoped.insert(shapeID)
    }

    /// Worker `slot` grew: adds it to the scope of every scoped shape that `fits` it now,
    /// unblocking blocked ones. O(scoped shapes), independent of the number of queued jobs.
    mutating func workerGrew(slot: Int, fits: (ResourceAmount, LabelRequirement) -> Bool) {
        guard !scoped.isEmpty else { return }
        for shapeID in scoped {
            guard let scopeCount = shapes[shapeID].scope?.count,
                fits(shapes[shapeID].resources, shapes[shapeID].requirement),
                !shapes[shapeID].scope!.contains(slot)
            else {
                continue
            }
            if scopeCount >= JobShape.maxScope {
                shapes[shapeID].scope = nil
                scoped.remove(shapeID)
            } else {
                shapes[shapeID].scope!.append(slot)
            }
            if scopeCount == 0 {
                for lane in shapes[shapeID].lanes.indices {
                    guard let first = shapes[shapeID].lanes[lane].first else { continue }
                    publish(seq: first.seq, shapeID: shapeID, lane: lane)
                }
            }
        }
    }

    // MARK: Helpers

    private mutating func intern(_ labels: [String: String]) -> LabelRequirement {
        if let known = requirements[labels] { return known }
        let pairs = labels.map { LabelPair(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
        let requirement = LabelRequirement(id: requirements.count, pairs: pairs)
        requirements[labels] = requirement
        return requirement
    }

    /// Adds a heap entry for a shape's new first job in `lane`. Outdated entries are normally
    /// dropped as they surface; if they pile up (say, cancellations between two `schedule`
    /// calls), the heap is rebuilt from the shapes. O(shapes), at most once per that many pushes.
    private mutating func publish(seq: Int, shapeID: Int, lane: Int) {
        heads[lane].insert(key: seq, value: shapeID)
        guard heads[lane].count > 4 * shapeIDs.count + 1024 else { return }
        heads[lane].removeAll()
        for id in shapes.indices where shapes[id].isLive && !shapes[id].isBlocked {
            if let first = shapes[id].lanes[lane].first { heads[lane].insert(key: first.seq, value: id) }
        }
    }

    /// Drops tombstones from the front of a lane and publishes its new first job, if any.
    private mutating func advanceToLiveHead(shapeID: Int, lane: Int) {
        guard shapes[shapeID].live[lane] > 0 else {
            shapes[shapeID].lanes[lane] = FIFODeque()
            dropShapeIfEmpty(shapeID)
            return
        }
        while let first = shapes[shapeID].lanes[lane].first, jobs[first.jobID]?.seq != first.seq {
            shapes[shapeID].lanes[lane].removeFirst()
        }
        if !shapes[shapeID].isBlocked, let first = shapes[shapeID].lanes[lane].first {
            publish(seq: first.seq, shapeID: shapeID, lane: lane)
        }
    }

    /// Keeps cancelled jobs from piling up behind a long-waiting head.
    private mutating func compactIfMostlyTombstones(shapeID: Int, lane: Int) {
        let live = shapes[shapeID].live[lane]
        guard shapes[shapeID].lanes[lane].count > 2 * live + 64 else { return }
        let jobs = self.jobs
        shapes[shapeID].lanes[lane].filter { jobs[$0.jobID]?.seq == $0.seq }
    }

    private mutating func dropShapeIfEmpty(_ shapeID: Int) {
        guard shapes[shapeID].isEmpty else { return }
        let key = JobShape.Key(resources: shapes[shapeID].resources, requirementID: shapes[shapeID].requirement.id)
        shapeIDs[key] = nil
        shapes[shapeID] = .vacant
        vacantShapeIDs.append(shapeID)
        scoped.remove(shapeID)
    }
}
