import Scheduling
import TestSupport
import XCTest

/// Random fleets and queues, replayable by seed; the scheduler is checked against a plain model
/// after every step.
final class SchedulerInvariantTests: XCTestCase {
    func testInvariantsHoldThroughRandomOperations() {
        for seed: UInt64 in [1, 2, 3, 42, 2026] {
            var run = RandomRun(seed: seed)
            for step in 0..<1500 {
                run.step()
                run.check(seed: seed, step: step)
            }
            XCTAssertGreaterThan(run.placements, 100, "seed \(seed) exercised placement")
        }
    }
}

private struct RandomRun {
    struct ModelWorker {
        var worker: SchedulableWorker
        var accepting = true
    }

    var generator: SplitMix64
    var scheduler = Scheduler()
    var workers: [String: ModelWorker] = [:]
    /// Queue order per priority, as the scheduler should keep it.
    var order: [SchedulingPriority: [SchedulableJob]] = [.high: [], .normal: [], .low: []]
    var placed: [String: (job: SchedulableJob, workerID: String)] = [:]
    var nextID = 0
    var placements = 0
    var failures: [String] = []

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    static let labelChoices: [[String: String]] = [[:], ["os": "linux"], ["os": "linux", "gpu": "a100"], ["zone": "b"]]

    mutating func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    var queuedJobs: [SchedulableJob] { order.values.flatMap { $0 } }

    mutating func step() {
        switch pick(0...99) {
        case 0..<8: upsertWorker()
        case 8..<10: removeWorker()
        case 10..<40: enqueue(atFront: pick(0...9) == 0)
        case 40..<45: cancel()
        case 45..<60: releaseOne()
        case 60..<64: toggleAccepting()
        case 64..<67: setHealth()
        case 67..<70: directAllocate()
        default: schedule(limit: pick(0...3) == 0 ? pick(1...3) : .max)
        }
    }

    mutating func upsertWorker() {
        let id = "w\(pick(0...11))"
        // An update never cuts below what is allocated, so "allocated <= capacity" stays checkable.
        let used = allocated(on: id)
        let worker = SchedulableWorker(
            id: id,
            capacity: ResourceAmount(
                cpuMillicores: max(UInt32(pick(1...16) * 500), used.resources.cpuMillicores),
                memoryMB: max(UInt32(pick(1...16) * 1024), used.resources.memoryMB),
                gpus: max(UInt32(pick(0...2)), used.resources.gpus)),
            maxJobs: max(pick(0...6), used.jobs), labels: Self.labelChoices[pick(0...3)])
        scheduler.upsertWorker(worker)
        workers[id, default: ModelWorker(worker: worker)].worker = worker
    }

    func allocated(on workerID: String) -> (resources: ResourceAmount, jobs: Int) {
        let jobs = placed.values.filter { $0.workerID == workerID }.map(\.job)
        let sum = ResourceAmount(
            cpuMillicores: jobs.reduce(0) { $0 + $1.resources.cpuMillicores },
            memoryMB: jobs.reduce(0) { $0 + $1.resources.memoryMB },
            gpus: jobs.reduce(0) { $0 + $1.resources.gpus })
        return (sum, jobs.count)
    }

    mutating func removeWorker() {
        guard let id = workers.keys.sorted().randomElement(using: &generator) else { return }
        let expected = placed.filter { $0.value.workerID == id }.map(\.key).sorted()
        let returned = scheduler.removeWorker(id: id)
        if returned != expected { failures.append("removeWorker(\(id)) returned \(returned), expected \(expected)") }
        workers[id] = nil
        for jobID in returned {
            let job = placed.removeValue(forKey: jobID)!.job
            if pick(0...1) == 0 { enqueueModel(job, atFront: true) }
        }
    }

    mutating func enqueue(atFront: Bool) {
        let job = SchedulableJob(
            id: "j\(nextID)", priority: SchedulingPriority(rawValue: pick(0...2))!,
            resources: ResourceAmount(
                cpuMillicores: UInt32(pick(0...8) * 500), memoryMB: UInt32(pick(0...8) * 1024),
                gpus: pick(0...5) == 0 ? 1 : 0),
            requiredLabels: Self.labelChoices[pick(0...3)])
        nextID += 1
        enqueueModel(job, atFront: atFront)
    }

    mutating func enqueueModel(_ job: SchedulableJob, atFront: Bool) {
        if atFront {
            scheduler.enqueueFirst(job)
            order[job.priority]!.insert(job, at: 0)
        } else {
            scheduler.enqueue(job)
            order[job.priority]!.append(job)
        }
    }

    mutating func cancel() {
        guard let job = queuedJobs.randomElement(using: &generator) else { return }
        if scheduler.dequeue(jobID: job.id) != job { failures.append("dequeue(\(job.id)) lost the job") }
        order[job.priority]!.removeAll { $0.id == job.id }
    }

    mutating func releaseOne() {
        guard let jobID = placed.keys.sorted().randomElement(using: &generator) else { return }
        scheduler.release(jobID: jobID)
        placed[jobID] = nil
    }

    mutating func toggleAccepting() {
        guard let id = workers.keys.sorted().randomElement(using: &generator) else { return }
        let accepting = pick(0...2) > 0
        scheduler.setAccepting(accepting, workerID: id)
        workers[id]!.accepting = accepting
    }

    mutating func setHealth() {
        guard let id = workers.keys.sorted().randomElement(using: &generator) else { return }
        scheduler.setHealth(Double(pick(0...10)) / 10, workerID: id)
    }

    /// AssignJob-style placement of a queued job on a worker that can take it.
    mutating func directAllocate() {
        guard let job = queuedJobs.randomElement(using: &generator),
            let workerID = workers.keys.sorted().first(where: { scheduler.canFit(job, workerID: $0) })
        else { return }
        scheduler.allocate(jobID: job.id, resources: job.resources, workerID: workerID)
        order[job.priority]!.removeAll { $0.id == job.id }
        placed[job.id] = (job, workerID)
    }

    mutating func schedule(limit: Int) {
        let result = scheduler.schedule(limit: limit)
        placements += result.count
        if result.count > limit { failures.append("schedule(limit: \(limit)) placed \(result.count)") }
        for placement in result {
            guard let model = workers[placement.workerID] else {
                failures.append("placed \(placement.jobID) on unknown worker \(placement.workerID)")
                continue
            }
            guard let lane = queuedJobs.first(where: { $0.id == placement.jobID })?.priority,
                let index = order[lane]!.firstIndex(where: { $0.id == placement.jobID })
            else {
                failures.append("placed \(placement.jobID), which was not queued")
                continue
            }
            let job = order[lane]!.remove(at: index)
            if order[lane]![..<index].contains(where: { $0.resources == job.resources && $0.requiredLabels == job.requiredLabels }) {
                failures.append("\(job.id) overtook an older job of the same shape and priority")
            }
            if !job.requiredLabels.allSatisfy({ model.worker.labels[$0.key] == $0.value }) {
                failures.append("\(job.id) placed on \(placement.workerID) without its labels")
            }
            if !model.accepting { failures.append("\(job.id) placed on non-accepting \(placement.workerID)") }
            placed[job.id] = (job, placement.workerID)
        }
        guard limit == .max else { return }
        // A full pass leaves nothing that could still be placed.
        for job in queuedJobs {
            for workerID in workers.keys where scheduler.canFit(job, workerID: workerID) {
                failures.append("\(job.id) still queued but fits \(workerID)")
            }
        }
    }

    mutating func check(seed: UInt64, step: Int) {
        for (id, model) in workers {
            let used = allocated(on: id)
            if !model.worker.capacity.contains(used.resources) { failures.append("\(id) over capacity: \(used.resources)") }
            if used.jobs > model.worker.maxJobs { failures.append("\(id) runs \(used.jobs) > \(model.worker.maxJobs) jobs") }
            if let accounted = scheduler.allocated(workerID: id) {
                if accounted.resources != used.resources || accounted.jobs != used.jobs {
                    failures.append("\(id) accounts \(accounted), model \(used)")
                }
            } else {
                failures.append("\(id) unknown to the scheduler")
            }
        }
        let queued = queuedJobs
        if scheduler.queuedCount != queued.count { failures.append("queuedCount \(scheduler.queuedCount) != \(queued.count)") }
        for priority in SchedulingPriority.allCases where scheduler.queuedCount(priority) != order[priority]!.count {
            failures.append("queuedCount(\(priority)) differs")
        }
        for job in queued where !scheduler.isQueued(jobID: job.id) { failures.append("\(job.id) should be queued") }
        for jobID in placed.keys {
            if scheduler.isQueued(jobID: jobID) { failures.append("\(jobID) both queued and placed") }
            if scheduler.workerID(ofAllocatedJob: jobID) != placed[jobID]!.workerID { failures.append("\(jobID) misplaced") }
        }
        if scheduler.workerCount != workers.count { failures.append("workerCount differs") }
        for failure in failures { XCTFail("seed \(seed) step \(step): \(failure)") }
        failures = []
    }
}
