/// The workers, their allocations, and the indexes that make one placement cheap.
///
/// Each worker has a slot (reused after removal). Per slot, a 32-byte `Slot` holds what the
/// placement loop reads (free capacity, reciprocal capacities, the job-independent score), in
/// one contiguous array. Bitsets over slots: `open` (accepting and below max jobs) and one per
/// `key=value` label; a job's candidates are `open` AND the bitsets of its required labels,
/// the latter cached per label requirement until workers or their labels change. For every 64
/// slots (one bitset word) `blockFree` keeps the largest free amount per dimension among open
/// slots, so a busy fleet is skipped 64 workers at a time. A search is O(workers / 64) words
/// plus the candidates in words that might fit.
struct WorkerIndex: Sendable {
    /// What the placement loop reads for one worker.
    struct Slot: Sendable {
        var freeCPU: UInt32 = 0
        var freeMemory: UInt32 = 0
        var freeGPUs: UInt32 = 0
        /// Allocated / capacity, and 1 / capacity (0 for a dimension the worker has none of).
        var usedCPU: Float = 0
        var usedMemory: Float = 0
        var inverseCPU: Float = 0
        var inverseMemory: Float = 0
        var baseScore: Float = 0
    }

    struct Record: Sendable {
        var worker: SchedulableWorker
        /// May exceed the capacity after direct allocations or a capacity cut.
        var allocated = ResourceAmount.zero
        var jobs: Set<String> = []
        var accepting = true
        var health = 1.0
    }

    struct Allocation: Sendable {
        var slot: Int
        var resources: ResourceAmount
    }

    let score: PlacementScore
    private var slots: [Slot] = []
    private var records: [Record?] = []
    private var slotByID: [String: Int] = [:]
    private var vacantSlots: [Int] = []
    private var open: [UInt64] = []
    private var blockFree: [ResourceAmount] = []
    private var labelSlots: [LabelPair: [UInt64]] = [:]
    /// Bumped whenever a slot appears or disappears or labels change: invalidates `masks`.
    private var labelsVersion = 0
    private var masks: [Int: (version: Int, words: [UInt64])] = [:]
    private var allocations: [String: Allocation] = [:]
    /// Searches over the whole fleet so far; lets tests check that scopes are used.
    private(set) var fullSearchCount = 0

    init(score: PlacementScore) {
        self.score = score
    }

    var count: Int { slotByID.count }

    func slot(of workerID: String) -> Int? { slotByID[workerID] }

    func workerID(at slot: Int) -> String { records[slot]!.worker.id }

    func record(at slot: Int) -> Record? { records[slot] }

    func allocation(of jobID: String) -> Allocation? { allocations[jobID] }

    // MARK: Workers

    /// Adds a worker (accepting, health 1) or updates one, keeping its allocations. Returns its slot.
    mutating func upsert(_ worker: SchedulableWorker) -> Int {
        let slot: Int
        if let existing = slotByID[worker.id] {
            slot = existing
            let old = records[slot]!.worker.labels
            if old != worker.labels {
                removeLabels(old, slot: slot)
                addLabels(worker.labels, slot: slot)
            }
            records[slot]!.worker = worker
        } else {
            if let vacant = vacantSlots.popLast() {
                slot = vacant
            } else {
                slot = records.count
                records.append(nil)
                slots.append(Slot())
                if slot >> 6 >= open.count {
                    open.append(0)
                    blockFree.append(.zero)
                }
            }
            records[slot] = Record(worker: worker)
            slotByID[worker.id] = slot
            addLabels(worker.labels, slot: slot)
        }
        refresh(slot)
        return slot
    }

    /// Removes a worker and drops its allocations; returns the ids of the jobs it held (sorted).
    mutating func remove(workerID: String) -> [String]? {
        guard let slot = slotByID.removeValue(forKey: workerID), let record = records[slot] else { return nil }
        for jobID in record.jobs { allocations[jobID] = nil }
        removeLabels(record.worker.labels, slot: slot)
        records[slot] = nil
        slots[slot] = Slot()
        vacantSlots.append(slot)
        refresh(slot)
        return record.jobs.sorted()
    }

    /// Returns whether the worker went from not accepting to accepting (it may take more now).
    mutating func setAccepting(_ accepting: Bool, slot: Int) -> Bool {
        let was = records[slot]!.accepting
        records[slot]!.accepting = accepting
        refresh(slot)
        return accepting && !was
    }

    mutating func setHealth(_ health: Double, slot: Int) {
        records[slot]!.health = health.isNaN ? 0 : min(max(health, 0), 1)
        refresh(slot)
    }

    // MARK: Allocations

    /// Records `jobID` on `slot` without checking capacity, moving it if it was elsewhere.
    mutating func allocate(jobID: String, resources: ResourceAmount, slot: Int) {
        if allocations[jobID] != nil { _ = release(jobID: jobID) }
        allocations[jobID] = Allocation(slot: slot, resources: resources)
        records[slot]!.allocated.add(resources)
        records[slot]!.jobs.insert(jobID)
        refresh(slot)
    }

    /// Frees a job's resources and slot; returns the worker slot it was on, nil if unknown.
    mutating func release(jobID: String) -> Int? {
        guard let allocation = allocations.removeValue(forKey: jobID) else { return nil }
        records[allocation.slot]!.allocated.subtract(allocation.resources)
        records[allocation.slot]!.jobs.remove(jobID)
        refresh(allocation.slot)
        return allocation.slot
    }

    // MARK: Feasibility and search

    /// Hard filters (accepting, max jobs, labels) and free capacity, for one worker.
    func canFit(_ resources: ResourceAmount, requirement: LabelRequirement, slot: Int) -> Bool {
        guard Bitset.contains(slot, in: open), let record = records[slot] else { return false }
        let free = slots[slot]
        return free.freeCPU >= resources.cpuMillicores && free.freeMemory >= resources.memoryMB
            && free.freeGPUs >= resources.gpus && requirement.isSatisfied(by: record.worker.labels)
    }

    /// A worker's free capacity and labels if it takes new jobs (accepting, below max jobs).
    func openRoom(_ slot: Int) -> (free: ResourceAmount, labels: [String: String])? {
        guard Bitset.contains(slot, in: open) else { return nil }
        let hot = slots[slot]
        return (
            ResourceAmount(cpuMillicores: hot.freeCPU, memoryMB: hot.freeMemory, gpus: hot.freeGPUs),
            records[slot]!.worker.labels
        )
    }

    /// The best-scoring worker that can take `resources` under `requirement`, if any, among
    /// `scope` or, if nil, all workers. Ties go to the lowest slot either way.
    mutating func bestSlot(for resources: ResourceAmount, requirement: LabelRequirement, among scope: [Int]?) -> Int? {
        let mask = requirement.pairs.isEmpty ? open : candidateMask(requirement)
        if let scope { return bestSlot(for: resources, mask: mask, among: scope) }
        fullSearchCount += 1
        let score = self.score
        let cpu = resources.cpuMillicores
        let memory = resources.memoryMB
        let gpus = resources.gpus
        let cpuRequest = Float(cpu)
        let memoryRequest = Float(memory)
        var best = -1
        var bestScore = -Float.infinity
        slots.withUnsafeBufferPointer { slots in
            open.withUnsafeBufferPointer { open in
                mask.withUnsafeBufferPointer { mask in
                    blockFree.withUnsafeBufferPointer { blockFree in
                        for word in 0..<min(open.count, mask.count) {
                            var bits = open[word] & mask[word]
                            if bits == 0 { continue }
                            let most = blockFree[word]
                            if cpu > most.cpuMillicores || memory > most.memoryMB || gpus > most.gpus { continue }
                            while bits != 0 {
                                let index = word << 6 | bits.trailingZeroBitCount
                                bits &= bits &- 1
                                let slot = slots[index]
                                if slot.freeCPU < cpu || slot.freeMemory < memory || slot.freeGPUs < gpus { continue }
                                let value = score.score(slot, cpu: cpuRequest, memory: memoryRequest)
                                if value > bestScore {
                                    bestScore = value
                                    best = index
                                }
                            }
                        }
                    }
                }
            }
        }
        return best >= 0 ? best : nil
    }

    private func bestSlot(for resources: ResourceAmount, mask: [UInt64], among scope: [Int]) -> Int? {
        var best = -1
        var bestScore = -Float.infinity
        for index in scope where Bitset.contains(index, in: open) && Bitset.contains(index, in: mask) {
            let slot = slots[index]
            if slot.freeCPU < resources.cpuMillicores || slot.freeMemory < resources.memoryMB
                || slot.freeGPUs < resources.gpus
            {
                continue
            }
            let value = score.score(slot, cpu: Float(resources.cpuMillicores), memory: Float(resources.memoryMB))
            if value > bestScore || (value == bestScore && index < best) {
                bestScore = value
                best = index
            }
        }
        return best >= 0 ? best : nil
    }

    // MARK: Index maintenance

    /// Recomputes a slot's hot data, its `open` bit and its block's free maxima from its record.
    private mutating func refresh(_ slot: Int) {
        if let record = records[slot] {
            let capacity = record.worker.capacity
            let allocated = record.allocated
            let inverseCPU = capacity.cpuMillicores > 0 ? 1 / Float(capacity.cpuMillicores) : 0
            let inverseMemory = capacity.memoryMB > 0 ? 1 / Float(capacity.memoryMB) : 0
            slots[slot] = Slot(
                freeCPU: capacity.cpuMillicores.subtractingClamped(allocated.cpuMillicores),
                freeMemory: capacity.memoryMB.subtractingClamped(allocated.memoryMB),
                freeGPUs: capacity.gpus.subtractingClamped(allocated.gpus),
                usedCPU: Float(min(allocated.cpuMillicores, capacity.cpuMillicores)) * inverseCPU,
                usedMemory: Float(min(allocated.memoryMB, capacity.memoryMB)) * inverseMemory,
                inverseCPU: inverseCPU,
                inverseMemory: inverseMemory,
                baseScore: score.baseScore(
                    jobs: record.jobs.count, maxJobs: record.worker.maxJobs, health: record.health)
            )
            if record.accepting && record.jobs.count < record.worker.maxJobs {
                Bitset.insert(slot, into: &open)
            } else {
                Bitset.remove(slot, from: &open)
            }
        } else {
            Bitset.remove(slot, from: &open)
        }
        refreshBlock(slot >> 6)
    }

    private mutating func refreshBlock(_ word: Int) {
        var most = ResourceAmount.zero
        var bits = open[word]
        while bits != 0 {
            let slot = slots[word << 6 | bits.trailingZeroBitCount]
            bits &= bits &- 1
            most.cpuMillicores = max(most.cpuMillicores, slot.freeCPU)
            most.memoryMB = max(most.memoryMB, slot.freeMemory)
            most.gpus = max(most.gpus, slot.freeGPUs)
        }
        blockFree[word] = most
    }

    private mutating func addLabels(_ labels: [String: String], slot: Int) {
        for (key, value) in labels {
            Bitset.insert(slot, into: &labelSlots[LabelPair(key: key, value: value), default: []])
        }
        labelsVersion += 1
    }

    private mutating func removeLabels(_ labels: [String: String], slot: Int) {
        for (key, value) in labels {
            let pair = LabelPair(key: key, value: value)
            Bitset.remove(slot, from: &labelSlots[pair, default: []])
            if labelSlots[pair]!.allSatisfy({ $0 == 0 }) { labelSlots[pair] = nil }
        }
        labelsVersion += 1
    }

    /// Slots carrying every pair of `requirement` (open or not), cached until labels change.
    private mutating func candidateMask(_ requirement: LabelRequirement) -> [UInt64] {
        if let cached = masks[requirement.id], cached.version == labelsVersion { return cached.words }
        var words = [UInt64](repeating: ~0, count: open.count)
        for pair in requirement.pairs {
            let bits = labelSlots[pair] ?? []
            for word in words.indices { words[word] &= word < bits.count ? bits[word] : 0 }
        }
        masks[requirement.id] = (labelsVersion, words)
        return words
    }
}
