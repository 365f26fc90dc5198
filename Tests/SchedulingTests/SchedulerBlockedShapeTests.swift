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
}
