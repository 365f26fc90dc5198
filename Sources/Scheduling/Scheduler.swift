/// Priority queues and bin-packing placement, as one value type owned by one actor.
///
/// Pure logic: no I/O, no clocks, no locks. The owner calls `schedule(limit:)` whenever
/// something may have become placeable (a submission, a freed slot, a new or recovered worker)
/// and dispatches the placements it returns; each placement is already allocated.
///
/// ```
///  enqueue ─► JobQueue: per shape (resources + required labels), one FIFO lane per priority;
///             per priority a heap of unblocked shapes by their oldest job
///                │  BatchCursor: up to weight[p] jobs from high, normal, low in turn
///                ▼
///  schedule ─► oldest placeable job of p ─► WorkerIndex.bestSlot: hard filters (accepting,
///             max jobs, labels: bitsets) + free capacity, then PlacementScore ─► allocate
///                │ no worker fits
///                ▼
///             shape blocked (skipped without looking at its jobs) until a worker grows:
///             a release, a new or updated worker, a worker accepting again; from then on
///             its searches look only at the workers that grew (its scope, see JobShape)
/// ```
///
/// Cost of one placement: O(log shapes) in the queue (never the number of queued jobs) plus one
/// search: over the shape's scope if it has one (at most 64 slots), else O(workers / 64) bitset
/// words and the candidates in words whose best free capacity fits. A worker growing costs
/// O(scoped shapes). A job is either queued or allocated, never both.
public struct Scheduler: Sendable {
    public let configuration: SchedulerConfiguration
    private var queue = JobQueue()
    private var workers: WorkerIndex
    private var cursor: BatchCursor
    /// Worker searches so far (one per shape tried); lets tests check nothing scans the queue.
    private(set) var searchCount = 0
    /// Of those, the searches over the whole fleet (the others looked at a shape's scope).
    var fullSearchCount: Int { workers.fullSearchCount }

    public init(configuration: SchedulerConfiguration = .init()) {
        self.configuration = configuration
        self.workers = WorkerIndex(score: PlacementScore(target: configuration.targetUtilization))
        self.cursor = BatchCursor(weights: configuration.batchWeights)
    }

    // MARK: Queue

    /// Adds a job at the back of its priority queue. A job already queued with the same id is
    /// replaced; a job allocated under that id is released first (it goes back to waiting).
    public mutating func enqueue(_ job: SchedulableJob) {
        insert(job, atFront: false)
    }

    /// Adds a job at the front of its priority queue (a job requeued after a lost worker or a
    /// rejection), with the same replacement rules as `enqueue(_:)`.
    public mutating func enqueueFirst(_ job: SchedulableJob) {
        insert(job, atFront: true)
    }

    /// Removes a queued job (cancelled). Returns it, or nil if it was not queued.
    @discardableResult
    public mutating func dequeue(jobID: String) -> SchedulableJob? {
        queue.remove(jobID: jobID)
    }

    public func isQueued(jobID: String) -> Bool {
        queue.contains(jobID: jobID)
    }

    public var queuedCount: Int { queue.count }

    public func queuedCount(_ priority: SchedulingPriority) -> Int {
        queue.count(priority)
    }

    // MARK: Workers

    /// Adds a worker (accepting, health 1), or updates the capacity, labels and max jobs of a
    /// known one, keeping its allocations, accepting flag and health.
    public mutating func upsertWorker(_ worker: SchedulableWorker) {
        let slot = workers.upsert(worker)
        unblockShapes(fittingSlot: slot)
    }

    /// Removes a worker. Returns the ids of the jobs allocated on it (sorted); their allocations
    /// are dropped and the caller decides whether to requeue them. Empty if the worker is unknown.
    @discardableResult
    public mutating func removeWorker(id: String) -> [String] {
        workers.remove(workerID: id) ?? []
    }

    /// Stops (false: Unhealthy, Draining) or resumes new placements on a worker. Its running
    /// jobs keep their allocations either way. Unknown workers are ignored.
    public mutating func setAccepting(_ accepting: Bool, workerID: String) {
        guard let slot = workers.slot(of: workerID) else { return }
        if workers.setAccepting(accepting, slot: slot) { unblockShapes(fittingSlot: slot) }
    }

    /// Sets a worker's health score, clamped to 0...1 (1 = healthy); it only weighs in the
    /// placement score. Unknown workers are ignored.
    public mutating func setHealth(_ score: Double, workerID: String) {
        guard let slot = workers.slot(of: workerID) else { return }
        workers.setHealth(score, slot: slot)
    }

    public var workerCount: Int { workers.count }

    // MARK: Allocations

    /// Whether `job` could be placed on the worker now: accepting, below max jobs, carrying the
    /// required labels, and with free capacity for it. False for an unknown worker.
    public func canFit(_ job: SchedulableJob, workerID: String) -> Bool {
        guard let slot = workers.slot(of: workerID) else { return false }
        let pairs = job.requiredLabels.map { LabelPair(key: $0.key, value: $0.value) }
        return workers.canFit(job.resources, requirement: LabelRequirement(id: -1, pairs: pairs), slot: slot)
    }

    /// Records a placement made elsewhere (AssignJob, or jobs restored at startup) without
    /// checking capacity. A job allocated elsewhere moves; a queued job leaves the queue.
    /// Returns false, changing nothing, if the worker is unknown.
    @discardableResult
    public mutating func allocate(jobID: String, resources: ResourceAmount, workerID: String) -> Bool {
        guard let slot = workers.slot(of: workerID) else { return false }
        queue.remove(jobID: jobID)
        let previous = workers.allocation(of: jobID)?.slot
        workers.allocate(jobID: jobID, resources: resources, slot: slot)
        if let previous, previous != slot { unblockShapes(fittingSlot: previous) }
        return true
    }

    /// Frees a job's resources and its job slot (the job ended or moved). No-op if unknown.
    public mutating func release(jobID: String) {
        if let slot = workers.release(jobID: jobID) { unblockShapes(fittingSlot: slot) }
    }

    /// What is allocated on a worker (which may exceed its capacity after direct allocations
    /// or a capacity cut), or nil if the worker is unknown.
    public func allocated(workerID: String) -> (resources: ResourceAmount, jobs: Int)? {
        guard let slot = workers.slot(of: workerID), let record = workers.record(at: slot) else { return nil }
        return (record.allocated, record.jobs.count)
    }

    /// The worker a job is allocated on, or nil if it is not allocated.
    public func workerID(ofAllocatedJob jobID: String) -> String? {
        workers.allocation(of: jobID).map { workers.workerID(at: $0.slot) }
    }

    // MARK: Placement

    /// Places as many queued jobs as fit now, at most `limit`, in weighted batches across
    /// priorities (FIFO within one; a job no worker can take does not hold back the others).
    /// Each placement is allocated on its worker and leaves the queue.
    public mutating func schedule(limit: Int = .max) -> [Placement] {
        var placements: [Placement] = []
        // Priorities found with nothing placeable in a row; placements only shrink the fleet,
        // so once all three are exhausted nothing more fits in this call. The cursor then goes
        // back to the first of them, keeping its batch: a full fleet that frees one slot at a
        // time still sees the weights.
        var exhausted = 0
        var resumeAt = cursor
        while placements.count < limit && exhausted < SchedulingPriority.allCases.count && queue.count > 0 {
            if cursor.hasQuota, let placement = placeNext(cursor.priority) {
                placements.append(placement)
                cursor.recordPlacement()
                exhausted = 0
            } else {
                if cursor.hasQuota {
                    if exhausted == 0 { resumeAt = cursor }
                    exhausted += 1
                } else {
                    exhausted = 0
                }
                cursor.advance()
            }
        }
        if exhausted == SchedulingPriority.allCases.count { cursor = resumeAt }
        return placements
    }

    // MARK: Internals

    private mutating func insert(_ job: SchedulableJob, atFront: Bool) {
        release(jobID: job.id)
        queue.insert(job, atFront: atFront)
    }

    /// Places the oldest placeable job of `priority`, blocking the shapes found to fit nowhere.
    private mutating func placeNext(_ priority: SchedulingPriority) -> Placement? {
        while let shapeID = queue.nextShape(priority) {
            let shape = queue.searchTerms(shapeID)
            searchCount += 1
            if let slot = workers.bestSlot(for: shape.resources, requirement: shape.requirement, among: shape.scope) {
                let job = queue.popFirst(shapeID: shapeID, priority: priority)
                workers.allocate(jobID: job.id, resources: job.resources, slot: slot)
                return Placement(jobID: job.id, workerID: workers.workerID(at: slot))
            }
            queue.block(shapeID: shapeID, priority: priority)
        }
        return nil
    }

    /// A worker grew: shapes it can take now are worth trying again, there.
    private mutating func unblockShapes(fittingSlot slot: Int) {
        guard !queue.scoped.isEmpty else { return }
        guard let (free, labels) = workers.openRoom(slot) else { return }
        queue.workerGrew(slot: slot) { free.contains($0) && $1.isSatisfied(by: labels) }
    }
}
