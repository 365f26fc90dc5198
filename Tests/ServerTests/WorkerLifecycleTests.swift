import JobAPI
import XCTest
@testable import Server

/// The eight worker states of seed 004 and their transitions, on an injected clock.
final class WorkerLifecycleTests: XCTestCase {
    let start = ContinuousClock.now
    let timeout: Duration = .seconds(15)
    let grace: Duration = .seconds(10)

    func testRegisterAttachRunAndIdle() {
        var worker = WorkerLifecycle(state: .registering, now: start)
        XCTAssertFalse(worker.acceptsJobs)
        worker.attached(runningJobs: 0, now: start)
        XCTAssertEqual(worker.state, .available)
        XCTAssertTrue(worker.acceptsJobs)
        worker.jobsChanged(runningJobs: 2)
        XCTAssertEqual(worker.state, .running)
        XCTAssertTrue(worker.acceptsJobs)
        worker.jobsChanged(runningJobs: 0)
        XCTAssertEqual(worker.state, .available)
    }

    func testMissedHeartbeatsMakeUnhealthyThenFailedAfterGrace() {
        var worker = WorkerLifecycle(state: .registering, now: start)
        worker.attached(runningJobs: 1, now: start)
        XCTAssertFalse(worker.tick(now: start + .seconds(14), heartbeatTimeout: timeout, failureGrace: grace))
        XCTAssertEqual(worker.state, .running)
        XCTAssertFalse(worker.tick(now: start + .seconds(16), heartbeatTimeout: timeout, failureGrace: grace))
        XCTAssertEqual(worker.state, .unhealthy)
        XCTAssertFalse(worker.acceptsJobs)
        XCTAssertFalse(worker.tick(now: start + .seconds(24), heartbeatTimeout: timeout, failureGrace: grace))
        XCTAssertEqual(worker.state, .unhealthy)
        XCTAssertTrue(worker.tick(now: start + .seconds(26), heartbeatTimeout: timeout, failureGrace: grace), "fails once timeout + grace passed")
        XCTAssertEqual(worker.state, .failed)
        XCTAssertTrue(worker.isGone)
        XCTAssertFalse(worker.tick(now: start + .seconds(60), heartbeatTimeout: timeout, failureGrace: grace), "fails only once")
    }

    func testUnhealthyRecoversOnReattachOrHeartbeat() {
        var worker = WorkerLifecycle(state: .registering, now: start)
        worker.attached(runningJobs: 0, now: start)
        worker.streamClosed(runningJobs: 0, now: start + .seconds(1))
        XCTAssertEqual(worker.state, .unhealthy)
        worker.heard(runningJobs: 0, attached: false, now: start + .seconds(2))
        XCTAssertEqual(worker.state, .unhealthy, "a unary heartbeat without a stream is not enough to take jobs")
        worker.attached(runningJobs: 1, now: start + .seconds(3))
        XCTAssertEqual(worker.state, .running)
        _ = worker.tick(now: start + .seconds(19), heartbeatTimeout: timeout, failureGrace: grace)
        XCTAssertEqual(worker.state, .unhealthy)
        worker.heard(runningJobs: 1, attached: true, now: start + .seconds(20))
        XCTAssertEqual(worker.state, .running)
    }

    func testDrainFinishesAsTerminated() {
        var worker = WorkerLifecycle(state: .registering, now: start)
        worker.attached(runningJobs: 1, now: start)
        worker.drain(runningJobs: 1, attached: true)
        XCTAssertEqual(worker.state, .draining)
        XCTAssertFalse(worker.acceptsJobs)
        worker.jobsChanged(runningJobs: 0)
        XCTAssertEqual(worker.state, .draining, "stays draining until the agent leaves")
        worker.streamClosed(runningJobs: 0, now: start + .seconds(1))
        XCTAssertEqual(worker.state, .terminated)
        XCTAssertTrue(worker.isGone)
    }

    func testDrainingWorkerThatDisappearsFails() {
        var worker = WorkerLifecycle(state: .registering, now: start)
        worker.attached(runningJobs: 1, now: start)
        worker.drain(runningJobs: 1, attached: true)
        worker.streamClosed(runningJobs: 1, now: start)
        XCTAssertEqual(worker.state, .draining)
        XCTAssertTrue(worker.tick(now: start + .seconds(30), heartbeatTimeout: timeout, failureGrace: grace))
        XCTAssertEqual(worker.state, .failed)
    }

    func testFailedWorkerRegistersAgain() {
        var worker = WorkerLifecycle(state: .failed, now: start)
        worker.registered(now: start + .seconds(1))
        XCTAssertEqual(worker.state, .registering)
        worker.attached(runningJobs: 0, now: start + .seconds(1))
        XCTAssertEqual(worker.state, .available)
    }

    func testRestoredWorkersAreUnhealthyUntilTheyAttach() {
        let restored = WorkerLifecycle.restored(stored: .running, now: start)
        XCTAssertEqual(restored.state, .unhealthy)
        XCTAssertEqual(WorkerLifecycle.restored(stored: .terminated, now: start).state, .terminated)
    }
}
