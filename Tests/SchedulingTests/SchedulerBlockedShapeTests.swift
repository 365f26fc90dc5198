@testable import Scheduling
import XCTest

final class SchedulerBlockedShapeTests: XCTestCase {
    func testJobsThatFitNowhereDoNotHoldBackSmallerOnesBehindThem() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 8000))
        for index in 0..<100 { scheduler.enqueue(makeJob("big\(index)", cpu: 16000)) }
        scheduler.enqueue(makeJob("small"))

        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["small"])

        scheduler.upsertWorker(makeWorker("large", cpu: 64000, memory: 262144))
        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["big0", "big1", "big2", "big3"])
    }

    func testBlockedJobsAreSkippedWithoutLookingAtThemAgain() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 8000, maxJobs: 1000))
        for index in 0..<10000 { scheduler.enqueue(makeJob("big\(index)", cpu: 16000)) }

        XCTAssertEqual(scheduler.schedule(), [])
        XCTAssertEqual(scheduler.searchCount, 1, "one search blocks the whole shape")

        for round in 0..<100 {
            scheduler.enqueue(makeJob("small\(round)"))
            XCTAssertEqual(scheduler.schedule().map(\.jobID), ["small\(round)"])
            scheduler.release(jobID: "small\(round)")
        }
        // One search per small job; the big jobs stayed blocked, as no release made room for them.
        XCTAssertEqual(scheduler.searchCount, 1 + 100)
        XCTAssertEqual(scheduler.queuedCount, 10000)
    }

    func testAReleaseRetriesOnlyShapesThatFitTheWorkerThatFreedRoom() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 4000, memory: 4096, maxJobs: 1000))
        scheduler.enqueue(makeJob("filler", cpu: 4000, memory: 1024))
        scheduler.enqueue(makeJob("waiting", cpu: 2000, memory: 1024))
        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["filler"])
        let searches = scheduler.searchCount

        scheduler.release(jobID: "filler")
        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["waiting"])
        XCTAssertEqual(scheduler.searchCount, searches + 1)
    }

    func testABlockedShapeBecomesPlaceableWhenAWorkerGrowsOrAccepts() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 1000))
        scheduler.enqueue(makeJob("j", cpu: 2000))
        XCTAssertEqual(scheduler.schedule(), [])

        scheduler.upsertWorker(makeWorker("w", cpu: 4000))
        scheduler.setAccepting(false, workerID: "w")
        XCTAssertEqual(scheduler.schedule(), [])

        scheduler.setAccepting(true, workerID: "w")
        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "j", workerID: "w")])
    }

    func testJobsJoiningABlockedShapeStayBlockedAndKeepTheirOrder() {
        var scheduler = Scheduler()
        scheduler.upsertWorker(makeWorker("w", cpu: 1000))
        scheduler.enqueue(makeJob("a", cpu: 2000))
        XCTAssertEqual(scheduler.schedule(), [])
        scheduler.enqueue(makeJob("b", cpu: 2000))
        scheduler.enqueueFirst(makeJob("first", cpu: 2000))
        XCTAssertEqual(scheduler.schedule(), [])

        scheduler.upsertWorker(makeWorker("big", cpu: 8000))
        XCTAssertEqual(scheduler.schedule().map(\.jobID), ["first", "a", "b"])
    }

    func testAfterAShapeWasBlockedOnlyTheWorkersThatGrewAreSearched() {
        var scheduler = Scheduler()
        for index in 0..<200 { scheduler.upsertWorker(makeWorker("w\(index)", cpu: 4000, memory: 8192, maxJobs: 100)) }
        let sizes: [UInt32] = [500, 1000, 2000]
        for index in 0..<3000 { scheduler.enqueue(makeJob("j\(index)", cpu: sizes[index % 3], memory: 256)) }
        let filled = scheduler.schedule()
        XCTAssertEqual(filled.reduce(0) { $0 + Int(sizes[Int($1.jobID.dropFirst())! % 3]) }, 200 * 4000)
        let fullSearches = scheduler.fullSearchCount

        for round in 0..<50 {
            let victim = filled[round * 7].jobID
            scheduler.release(jobID: victim)
            let placed = scheduler.schedule()
            XCTAssertFalse(placed.isEmpty)
            XCTAssertEqual(Set(placed.map(\.workerID)), [filled[round * 7].workerID])
        }
        XCTAssertEqual(scheduler.fullSearchCount, fullSearches, "a release leads to searches of that worker only")
    }

    func testAScopeThatOutgrowsItsLimitFallsBackToOneFullSearch() {
        var scheduler = Scheduler()
        for index in 0..<100 { scheduler.upsertWorker(makeWorker("w\(index)", cpu: 1000, memory: 8192, maxJobs: 10)) }
        for index in 0..<100 { scheduler.enqueue(makeJob("filler\(index)", cpu: 1000, memory: 1024)) }
        XCTAssertEqual(scheduler.schedule().count, 100)
        scheduler.enqueue(makeJob("waiting", cpu: 1000, memory: 1024))
        XCTAssertEqual(scheduler.schedule(), [])
        let fullSearches = scheduler.fullSearchCount

        // 80 workers free up (more than a scope holds); the best of them is the healthiest.
        for index in 0..<80 { scheduler.setHealth(0.5, workerID: "w\(index)") }
        scheduler.setHealth(1, workerID: "w70")
        for index in 0..<80 { scheduler.release(jobID: "filler\(index)") }

        XCTAssertEqual(scheduler.schedule(), [Placement(jobID: "waiting", workerID: "w70")])
        XCTAssertEqual(scheduler.fullSearchCount, fullSearches + 1)
    }
}
