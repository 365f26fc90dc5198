import Scheduling
import XCTest

final class SchedulerQueueTests: XCTestCase {
    func testJobsOfOnePriorityArePlacedInArrivalOrderAcrossShapes() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w"))
        let sizes: [UInt32] = [100, 300, 100, 200, 300, 100]
        for (index, cpu) in sizes.enumerated() { scheduler.enqueue(makeJob("j\(index)", cpu: cpu)) }

        let placed = scheduler.schedule().map(\.jobID)

        XCTAssertEqual(placed, ["j0", "j1", "j2", "j3", "j4", "j5"])
        XCTAssertEqual(scheduler.queuedCount, 0)
    }

    func testEnqueueFirstGoesAheadOfEveryQueuedJobOfItsPriority() {
        var scheduler = Scheduler()
        scheduler.enqueue(makeJob("a", cpu: 100))
        scheduler.enqueue(makeJob("b", cpu: 200))
        scheduler.enqueueFirst(makeJob("requeued", cpu: 300))
        scheduler.enqueueFirst(makeJob("requeued-later", cpu: 100))
        scheduler.upsertWorker(makeWorker("w"))

        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["requeued-later", "requeued", "a", "b"])
    }

    func testDequeueRemovesAQueuedJobFromTheHeadOrTheMiddle() {
        var scheduler = Scheduler()
        for index in 0..<5 { scheduler.enqueue(makeJob("j\(index)")) }

        XCTAssertEqual(scheduler.dequeue(jobID: "j0")?.id, "j0")
        XCTAssertEqual(scheduler.dequeue(jobID: "j2")?.id, "j2")
        XCTAssertNil(scheduler.dequeue(jobID: "j2"))
        XCTAssertNil(scheduler.dequeue(jobID: "unknown"))
        XCTAssertFalse(scheduler.isQueued(jobID: "j2"))
        XCTAssertTrue(scheduler.isQueued(jobID: "j3"))
        XCTAssertEqual(scheduler.queuedCount, 3)
        XCTAssertEqual(scheduler.queuedCount(.normal), 3)

        scheduler.upsertWorker(makeWorker("w"))
        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["j1", "j3", "j4"])
    }

    func testManyCancellationsBehindAWaitingHeadKeepOrderAndCounts() {
        var scheduler = Scheduler()
        for index in 0..<500 { scheduler.enqueue(makeJob("j\(index)")) }
        for index in stride(from: 1, to: 500, by: 2) { scheduler.dequeue(jobID: "j\(index)") }
        scheduler.upsertWorker(makeWorker("w", cpu: 64000, memory: 262144, maxJobs: 1000))

        let placed = scheduler.schedule().map(\.jobID)

        XCTAssertEqual(placed, stride(from: 0, to: 500, by: 2).map { "j\($0)" })
    }

    func testCountsPerPriority() {
        var scheduler = Scheduler()
        scheduler.enqueue(makeJob("h", .high))
        scheduler.enqueue(makeJob("n1", .normal))
        scheduler.enqueue(makeJob("n2", .normal))
        scheduler.enqueueFirst(makeJob("l", .low))

        XCTAssertEqual(scheduler.queuedCount, 4)
        XCTAssertEqual(scheduler.queuedCount(.high), 1)
        XCTAssertEqual(scheduler.queuedCount(.normal), 2)
        XCTAssertEqual(scheduler.queuedCount(.low), 1)
    }

    func testEnqueueingAQueuedIDReplacesTheJob() {
        var scheduler = Scheduler()
        scheduler.enqueue(makeJob("a", .low, cpu: 100))
        scheduler.enqueue(makeJob("b", .high))
        scheduler.enqueue(makeJob("a", .high, cpu: 500))

        XCTAssertEqual(scheduler.queuedCount, 2)
        XCTAssertEqual(scheduler.queuedCount(.low), 0)
        XCTAssertEqual(scheduler.dequeue(jobID: "a")?.resources.cpuMillicores, 500)
    }

    func testScheduleWithoutWorkersPlacesNothingAndKeepsTheQueue() {
        var scheduler = Scheduler()
        scheduler.enqueue(makeJob("a"))

        XCTAssertEqual(scheduler.schedule(), [])
        XCTAssertTrue(scheduler.isQueued(jobID: "a"))
    }

    func testCancellingFirstJobsOverAndOverKeepsOrderAcrossShapes() {
        var scheduler = Scheduler()
        scheduler.enqueue(makeJob("oldest", cpu: 300))
        for index in 0..<3000 { scheduler.enqueue(makeJob("j\(index)", cpu: index % 2 == 0 ? 100 : 200)) }
        // Each cancellation of a first job publishes a new first job: enough to rebuild the heap.
        for index in 0..<2990 { XCTAssertNotNil(scheduler.dequeue(jobID: "j\(index)")) }
        scheduler.upsertWorker(makeWorker("w"))

        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["oldest"] + (2990..<3000).map { "j\($0)" })
    }
}
