import Scheduling
import XCTest

final class SchedulerAllocationTests: XCTestCase {
    func testAllocateAndReleaseKeepTheAccounts() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w"))
        let amount = ResourceAmount(cpuMillicores: 1500, memoryMB: 2048, gpus: 0)

        XCTAssertTrue(scheduler.allocate(jobID: "a", resources: amount, workerID: "w"))
        XCTAssertTrue(scheduler.allocate(jobID: "b", resources: amount, workerID: "w"))
        XCTAssertEqual(scheduler.allocated(workerID: "w")?.resources, ResourceAmount(cpuMillicores: 3000, memoryMB: 4096))
        XCTAssertEqual(scheduler.allocated(workerID: "w")?.jobs, 2)
        XCTAssertEqual(scheduler.workerID(ofAllocatedJob: "a"), "w")

        scheduler.release(jobID: "a")
        scheduler.release(jobID: "a")
        scheduler.release(jobID: "never-allocated")
        XCTAssertEqual(scheduler.allocated(workerID: "w")?.resources, amount)
        XCTAssertEqual(scheduler.allocated(workerID: "w")?.jobs, 1)
        XCTAssertNil(scheduler.workerID(ofAllocatedJob: "a"))
    }

    func testAllocateOnAnUnknownWorkerChangesNothing() {
        var scheduler = Scheduler()
        scheduler.enqueue(makeJob("j"))

        XCTAssertFalse(scheduler.allocate(jobID: "j", resources: .zero, workerID: "ghost"))
        XCTAssertTrue(scheduler.isQueued(jobID: "j"))
        XCTAssertNil(scheduler.allocated(workerID: "ghost"))
    }

    func testAllocateMayExceedCapacityAndThenBlocksPlacementsThere() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 1000, memory: 1024))
        scheduler.allocate(jobID: "restored", resources: ResourceAmount(cpuMillicores: 3000, memoryMB: 512), workerID: "w")
        scheduler.enqueue(makeJob("j", cpu: 1, memory: 1))

        XCTAssertEqual(scheduler.allocated(workerID: "w")?.resources.cpuMillicores, 3000)
        XCTAssertEqual(scheduler.schedule(), [])
    }

    func testAllocatingAQueuedJobTakesItOutOfTheQueueAndMovingItFreesTheOldWorker() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("a"))
        scheduler.upsertWorker(makeWorker("b"))
        scheduler.enqueue(makeJob("j", cpu: 500))

        scheduler.allocate(jobID: "j", resources: ResourceAmount(cpuMillicores: 500), workerID: "a")
        XCTAssertFalse(scheduler.isQueued(jobID: "j"))
        scheduler.allocate(jobID: "j", resources: ResourceAmount(cpuMillicores: 500), workerID: "b")

        XCTAssertEqual(scheduler.allocated(workerID: "a")?.jobs, 0)
        XCTAssertEqual(scheduler.allocated(workerID: "a")?.resources, .zero)
        XCTAssertEqual(scheduler.allocated(workerID: "b")?.jobs, 1)
    }

    func testRequeueingAnAllocatedJobReleasesItFirst() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w"))
        scheduler.enqueue(makeJob("j", cpu: 700))
        XCTAssertEqual(scheduler.schedule().count, 1)

        scheduler.enqueueFirst(makeJob("j", cpu: 700))

        XCTAssertEqual(scheduler.allocated(workerID: "w")?.jobs, 0)
        XCTAssertTrue(scheduler.isQueued(jobID: "j"))
    }

    func testRemoveWorkerReturnsItsJobsAndForgetsThem() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("doomed"))
        scheduler.upsertWorker(makeWorker("other", cpu: 100))
        for index in 0..<3 { scheduler.enqueue(makeJob("j\(index)", cpu: 1000)) }
        XCTAssertEqual(Set(scheduler.schedule().map(\.workerID)), ["doomed"])

        XCTAssertEqual(scheduler.removeWorker(id: "doomed"), ["j0", "j1", "j2"])
        XCTAssertEqual(scheduler.workerCount, 1)
        XCTAssertNil(scheduler.allocated(workerID: "doomed"))
        XCTAssertNil(scheduler.workerID(ofAllocatedJob: "j0"))
        XCTAssertEqual(scheduler.removeWorker(id: "doomed"), [])

        scheduler.release(jobID: "j1")
        scheduler.enqueueFirst(makeJob("j0", cpu: 1000))
        XCTAssertEqual(scheduler.schedule(), [])
        scheduler.upsertWorker(makeWorker("replacement"))
        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "j0", workerID: "replacement")])
    }

    func testUpdatingAWorkerKeepsItsAllocationsAcceptingFlagAndHealth() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", maxJobs: 4))
        scheduler.allocate(jobID: "a", resources: ResourceAmount(cpuMillicores: 1000), workerID: "w")
        scheduler.setAccepting(false, workerID: "w")

        scheduler.upsertWorker(makeWorker("w", cpu: 16000, maxJobs: 8))

        XCTAssertEqual(scheduler.allocated(workerID: "w")?.jobs, 1)
        XCTAssertEqual(scheduler.allocated(workerID: "w")?.resources.cpuMillicores, 1000)
        scheduler.enqueue(makeJob("j"))
        XCTAssertEqual(scheduler.schedule(), [], "still not accepting")
        XCTAssertEqual(scheduler.workerCount, 1)
    }

    func testARemovedWorkersSlotIsReusedCleanly() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("old", labels: ["pool": "x"]))
        scheduler.allocate(jobID: "a", resources: ResourceAmount(cpuMillicores: 7000), workerID: "old")
        scheduler.removeWorker(id: "old")
        scheduler.upsertWorker(makeWorker("new"))
        scheduler.enqueue(makeJob("needs-x", labels: ["pool": "x"]))
        scheduler.enqueue(makeJob("big", cpu: 8000))

        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "big", workerID: "new")])
        XCTAssertEqual(scheduler.allocated(workerID: "new")?.jobs, 1)
    }
}
