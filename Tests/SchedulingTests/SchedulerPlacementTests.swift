import Scheduling
import XCTest

final class SchedulerPlacementTests: XCTestCase {
    func testAFullerWorkerIsFilledBeforeAnEmptyOne() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("empty"))
        scheduler.upsertWorker(makeWorker("half"))
        scheduler.allocate(jobID: "running", resources: ResourceAmount(cpuMillicores: 4000, memoryMB: 8192), workerID: "half")
        scheduler.enqueue(makeJob("j", cpu: 1000, memory: 2048))

        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "j", workerID: "half")])
    }

    func testAWorkerLandingInsideTheBandBeatsOneThatWouldOvershootIt() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("at80"))
        scheduler.upsertWorker(makeWorker("at60"))
        scheduler.upsertWorker(makeWorker("empty"))
        scheduler.allocate(jobID: "r1", resources: ResourceAmount(cpuMillicores: 6400, memoryMB: 13107), workerID: "at80")
        scheduler.allocate(jobID: "r2", resources: ResourceAmount(cpuMillicores: 4800, memoryMB: 9830), workerID: "at60")
        // 12.5 %: at80 would reach 92.5 %, at60 72.5 %, empty 12.5 %.
        scheduler.enqueue(makeJob("j", cpu: 1000, memory: 2048))

        XCTAssertEqual(scheduler.schedule().first?.workerID, "at60")
    }

    func testIdenticalJobsFillOneWorkerToTheBandBeforeOpeningTheNext() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("a"))
        scheduler.upsertWorker(makeWorker("b"))
        for index in 0..<10 { scheduler.enqueue(makeJob("j\(index)", cpu: 1000, memory: 2048)) }

        let placed = scheduler.schedule()

        // 6 jobs bring "a" to 75 %; a 7th would take it to 87.5 %, over the band, so "b" opens.
        XCTAssertEqual(placed.prefix(6).map(\.workerID), Array(repeating: "a", count: 6))
        XCTAssertEqual(placed.dropFirst(6).map(\.workerID), Array(repeating: "b", count: 4))
    }

    func testOvershootingTheBandIsTheLastResort() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("at80"))
        scheduler.upsertWorker(makeWorker("at10"))
        scheduler.allocate(jobID: "r1", resources: ResourceAmount(cpuMillicores: 6400, memoryMB: 13107), workerID: "at80")
        scheduler.allocate(jobID: "r2", resources: ResourceAmount(cpuMillicores: 800, memoryMB: 1638), workerID: "at10")
        scheduler.enqueue(makeJob("first", cpu: 1000, memory: 2048))

        XCTAssertEqual(scheduler.schedule().first?.workerID, "at10")

        scheduler.removeWorker(id: "at10")
        scheduler.enqueue(makeJob("second", cpu: 1000, memory: 2048))
        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "second", workerID: "at80")])
    }

    func testHealthierWorkerWinsBetweenOtherwiseEqualOnes() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("flaky"))
        scheduler.upsertWorker(makeWorker("healthy"))
        scheduler.setHealth(0.2, workerID: "flaky")
        scheduler.enqueue(makeJob("j"))

        XCTAssertEqual(scheduler.schedule().first?.workerID, "healthy")
    }

    func testRequiredLabelsAreAHardFilter() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("linux", labels: ["os": "linux"]))
        scheduler.upsertWorker(makeWorker("gpu", labels: ["os": "linux", "gpu": "a100"]))
        scheduler.allocate(jobID: "r", resources: ResourceAmount(cpuMillicores: 4000, memoryMB: 8192), workerID: "linux")
        scheduler.enqueue(makeJob("needs-a100", labels: ["gpu": "a100", "os": "linux"]))
        scheduler.enqueue(makeJob("needs-windows", labels: ["os": "windows"]))
        scheduler.enqueue(makeJob("needs-h100", labels: ["gpu": "h100"]))

        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "needs-a100", workerID: "gpu")])
        XCTAssertTrue(scheduler.isQueued(jobID: "needs-windows"))
        XCTAssertTrue(scheduler.isQueued(jobID: "needs-h100"))

        scheduler.upsertWorker(makeWorker("linux", labels: ["os": "windows"]))
        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "needs-windows", workerID: "linux")])
    }

    func testMaxJobsIsAHardFilterEvenForJobsAskingForNothing() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", maxJobs: 2))
        for index in 0..<5 { scheduler.enqueue(makeJob("j\(index)", cpu: 0, memory: 0)) }

        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["j0", "j1"])
        XCTAssertEqual(scheduler.schedule(), [])

        scheduler.release(jobID: "j0")
        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["j2"])
        XCTAssertEqual(scheduler.allocated(workerID: "w")?.jobs, 2)
    }

    func testAWorkerNotAcceptingGetsNoPlacementsUntilItAcceptsAgain() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w"))
        scheduler.setAccepting(false, workerID: "w")
        scheduler.enqueue(makeJob("j"))

        XCTAssertEqual(scheduler.schedule(), [])
        XCTAssertFalse(scheduler.canFit(makeJob("j"), workerID: "w"))

        scheduler.setAccepting(true, workerID: "w")
        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "j", workerID: "w")])
    }

    func testCapacityIsAHardFilterInEveryDimension() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 4000, memory: 8192, gpus: 1))
        scheduler.enqueue(makeJob("cpu", cpu: 4001, memory: 1))
        scheduler.enqueue(makeJob("memory", cpu: 1, memory: 8193))
        scheduler.enqueue(makeJob("gpus", cpu: 1, memory: 1, gpus: 2))
        scheduler.enqueue(makeJob("exact", cpu: 4000, memory: 8192, gpus: 1))
        scheduler.enqueue(makeJob("tiny", cpu: 1, memory: 1))

        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["exact"])
        XCTAssertEqual(scheduler.queuedCount, 4)
    }

    func testCanFitChecksFiltersAndFreeCapacity() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 2000, memory: 4096, maxJobs: 2, labels: ["zone": "a"]))
        scheduler.allocate(jobID: "r", resources: ResourceAmount(cpuMillicores: 1500, memoryMB: 1024), workerID: "w")

        XCTAssertTrue(scheduler.canFit(makeJob("j", cpu: 500, memory: 3072), workerID: "w"))
        XCTAssertTrue(scheduler.canFit(makeJob("j", cpu: 500, memory: 3072, labels: ["zone": "a"]), workerID: "w"))
        XCTAssertFalse(scheduler.canFit(makeJob("j", cpu: 501, memory: 1), workerID: "w"))
        XCTAssertFalse(scheduler.canFit(makeJob("j", cpu: 1, memory: 1, labels: ["zone": "b"]), workerID: "w"))
        XCTAssertFalse(scheduler.canFit(makeJob("j"), workerID: "unknown"))

        scheduler.allocate(jobID: "r2", resources: .zero, workerID: "w")
        XCTAssertFalse(scheduler.canFit(makeJob("j", cpu: 0, memory: 0), workerID: "w"))
    }
}
