import Scheduling

/// One benchmark row: a synthetic fleet and queue, then timed `schedule` calls under churn.
///
/// - `steady` (the SCHED scenario): the fleet is brought to about 75 % of CPU or memory and kept
///   there: each step releases random running jobs until it is below that level (one more if the
///   previous call placed nothing), tops the queue back up, and times one `schedule(limit: 1)`.
/// - `saturated` (what a server with a large backlog sees): the fleet is filled until nothing
///   more fits; each step releases one random running job, tops the queue up, and times one
///   `schedule()`, which places whatever now fits.
///
/// Only `schedule` counts towards placements/s; releases and submissions (which include
/// unblocking shapes) are timed separately. Time is read with `ContinuousClock`.
struct SchedulerRun {
    enum Mode: String, CaseIterable {
        case steady
        case saturated
    }

    struct Result {
        var mode: Mode
        var workers: Int
        var queued: Int
        var calls = 0
        var placements = 0
        var scheduleNanoseconds: Int64 = 0
        /// Per `schedule` call that placed something.
        var p50Nanoseconds: Int64 = 0
        var p99Nanoseconds: Int64 = 0
        var churnOperations = 0
        var churnNanoseconds: Int64 = 0
        var cpuUtilization = 0.0
        var memoryUtilization = 0.0
        /// Workers whose CPU use is inside the 60-85 % target band, and idle workers.
        var workersInBand = 0.0
        var workersIdle = 0.0
        var setupSeconds = 0.0
    }

    let mode: Mode
    let workers: Int
    let queued: Int
    let placements: Int
    let seconds: Double
    let seed: UInt64
    private static let steadyUtilization = 0.75

    init(mode: Mode, workers: Int, queued: Int, placements: Int, seconds: Double, seed: UInt64) {
        self.mode = mode
        self.workers = workers
        self.queued = queued
        self.placements = placements
        self.seconds = seconds
        self.seed = seed
    }

    func run() -> Result {
        let clock = ContinuousClock()
        let setupStart = clock.now
        var state = FleetState(workers: workers, seed: seed)
        state.topUp(queued)
        var result = Result(mode: mode, workers: workers, queued: queued)

        // Warm-up in small batches, so as not to overshoot the steady level by much.
        while mode == .saturated || !state.atLevel(Self.steadyUtilization) {
            let batch = state.scheduler.schedule(limit: max(16, workers / 8))
            if batch.isEmpty { break }
            batch.forEach { state.record($0) }
            state.topUp(queued)
        }
        result.setupSeconds = Self.seconds(clock.now - setupStart)

        var samples: [Int64] = []
        samples.reserveCapacity(min(placements, 1 << 20))
        var placedLast = true
        let deadline = clock.now.advanced(by: .nanoseconds(Int64(seconds * 1e9)))
        while result.placements < placements && clock.now < deadline {
            let churnStart = clock.now
            switch mode {
            case .steady:
                if !placedLast { state.releaseOne() }
                while state.atLevel(Self.steadyUtilization) && state.releaseOne() {}
            case .saturated:
                state.releaseOne()
            }
            result.churnOperations += state.topUp(queued) + 1
            let start = clock.now
            let placed = state.scheduler.schedule(limit: mode == .steady ? 1 : .max)
            let end = clock.now
            result.churnNanoseconds += Self.nanoseconds(start - churnStart)
            let elapsed = Self.nanoseconds(end - start)
            result.scheduleNanoseconds += elapsed
            result.calls += 1
            result.placements += placed.count
            placedLast = !placed.isEmpty
            if placedLast { samples.append(elapsed) }
            placed.forEach { state.record($0) }
        }
        samples.sort()
        func percentile(_ fraction: Double) -> Int64 {
            samples.isEmpty ? 0 : samples[min(samples.count - 1, Int(Double(samples.count) * fraction))]
        }
        result.p50Nanoseconds = percentile(0.50)
        result.p99Nanoseconds = percentile(0.99)
        result.cpuUtilization = state.usedCPU / state.totalCPU
        result.memoryUtilization = state.usedMemory / state.totalMemory
        let usage = (0..<workers).map { state.cpuUse(ofWorker: $0) }
        result.workersInBand = Double(usage.filter { (0.60...0.85).contains($0) }.count) / Double(workers)
        result.workersIdle = Double(usage.filter { $0 == 0 }.count) / Double(workers)
        return result
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(nanoseconds(duration)) / 1e9
    }
}

/// The scheduler under test plus what the benchmark knows about it: job sizes, running jobs
/// and the fleet's totals.
private struct FleetState {
    var scheduler = Scheduler()
    var fleet: SyntheticFleet
    var sizes: [ResourceAmount] = []
    var running: [Int] = []
    var capacities: [UInt32] = []
    var totalCPU = 0.0
    var totalMemory = 0.0
    var usedCPU = 0.0
    var usedMemory = 0.0

    init(workers: Int, seed: UInt64) {
        fleet = SyntheticFleet(seed: seed)
        for index in 0..<workers {
            let worker = fleet.worker(index)
            scheduler.upsertWorker(worker)
            capacities.append(worker.capacity.cpuMillicores)
            totalCPU += Double(worker.capacity.cpuMillicores)
            totalMemory += Double(worker.capacity.memoryMB)
        }
    }

    func cpuUse(ofWorker index: Int) -> Double {
        guard let allocated = scheduler.allocated(workerID: "w\(index)") else { return 0 }
        return Double(allocated.resources.cpuMillicores) / Double(capacities[index])
    }

    func atLevel(_ level: Double) -> Bool {
        usedCPU >= level * totalCPU || usedMemory >= level * totalMemory
    }

    /// Submits new jobs until `queued` wait; returns how many.
    @discardableResult
    mutating func topUp(_ queued: Int) -> Int {
        var submitted = 0
        while scheduler.queuedCount < queued {
            let job = fleet.job(sizes.count)
            sizes.append(job.resources)
            scheduler.enqueue(job)
            submitted += 1
        }
        return submitted
    }

    mutating func record(_ placement: Placement) {
        let index = Int(placement.jobID.dropFirst())!
        running.append(index)
        usedCPU += Double(sizes[index].cpuMillicores)
        usedMemory += Double(sizes[index].memoryMB)
    }

    /// Ends a random running job; false if none runs.
    @discardableResult
    mutating func releaseOne() -> Bool {
        guard !running.isEmpty else { return false }
        let position = fleet.index(below: running.count)
        let index = running[position]
        running.swapAt(position, running.count - 1)
        running.removeLast()
        scheduler.release(jobID: "j\(index)")
        usedCPU -= Double(sizes[index].cpuMillicores)
        usedMemory -= Double(sizes[index].memoryMB)
        return true
    }
}
