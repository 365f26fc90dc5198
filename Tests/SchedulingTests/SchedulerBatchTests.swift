import Scheduling
import XCTest

final class SchedulerBatchTests: XCTestCase {
    func testBacklogIsServedInBatchesOfSixThreeAndOne() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", maxJobs: 1000))
        for index in 0..<20 {
            scheduler.enqueue(makeJob("h\(index)", .high))
            scheduler.enqueue(makeJob("n\(index)", .normal))
            scheduler.enqueue(makeJob("l\(index)", .low))
        }

        let prefixes = scheduler.schedule(limit: 20).map { $0.jobID.first! }

        XCTAssertEqual(String(prefixes), "hhhhhhnnnlhhhhhhnnnl")
    }

    func testOnePlacementPerCallStillFollowsTheWeights() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", maxJobs: 1000))
        for index in 0..<20 {
            scheduler.enqueue(makeJob("h\(index)", .high))
            scheduler.enqueue(makeJob("n\(index)", .normal))
            scheduler.enqueue(makeJob("l\(index)", .low))
        }

        var prefixes = ""
        for _ in 0..<20 { prefixes += scheduler.schedule(limit: 1).map { String($0.jobID.first!) }.joined() }

        XCTAssertEqual(prefixes, "hhhhhhnnnlhhhhhhnnnl")
    }

    func testLowPriorityKeepsItsShareUnderAFloodOfHighPriorityJobs() {
        // One slot: every placement waits for a release, as in a saturated fleet.
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", maxJobs: 1))
        for index in 0..<1000 { scheduler.enqueue(makeJob("h\(index)", .high)) }
        for index in 0..<200 { scheduler.enqueue(makeJob("l\(index)", .low)) }

        var lowPlaced = 0
        for _ in 0..<700 {
            let placed = scheduler.schedule()
            XCTAssertEqual(placed.count, 1)
            guard let placement = placed.first else { break }
            if placement.jobID.hasPrefix("l") { lowPlaced += 1 }
            scheduler.release(jobID: placement.jobID)
        }

        // Normal is empty, so rounds are 6 high + 1 low: low gets 1/7 of the placements.
        XCTAssertEqual(lowPlaced, 700 / 7)
    }

    func testCustomWeightsAndWeightsBelowOneStillServeEveryPriority() {
        var scheduler = Scheduler(configuration: SchedulerConfiguration(batchWeights: [.high: 2, .normal: 0]))
        scheduler.upsertWorker(makeWorker("w", maxJobs: 1000))
        for index in 0..<10 {
            scheduler.enqueue(makeJob("h\(index)", .high))
            scheduler.enqueue(makeJob("n\(index)", .normal))
            scheduler.enqueue(makeJob("l\(index)", .low))
        }

        let prefixes = scheduler.schedule(limit: 8).map { $0.jobID.first! }

        XCTAssertEqual(String(prefixes), "hhnlhhnl")
    }

    func testAPriorityWhoseJobsFitNowhereDoesNotHoldBackTheOthers() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", gpus: 0))
        for index in 0..<10 { scheduler.enqueue(makeJob("gpu\(index)", .high, gpus: 1)) }
        scheduler.enqueue(makeJob("n", .normal))
        scheduler.enqueue(makeJob("l", .low))

        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["n", "l"])
        XCTAssertEqual(scheduler.queuedCount(.high), 10)

        scheduler.upsertWorker(makeWorker("gpu-worker", gpus: 4))
        let placed = scheduler.schedule()
        XCTAssertEqual(placed.map(\.jobID), ["gpu0", "gpu1", "gpu2", "gpu3"])
        XCTAssertEqual(Set(placed.map(\.workerID)), ["gpu-worker"])
    }
}
