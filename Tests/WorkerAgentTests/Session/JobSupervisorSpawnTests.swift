import Foundation
import Glibc
import JobAPI
import Logging
import XCTest
@testable import WorkerAgent

/// A spawn that does not return (an exec on a hung network mount) holds up only its own job:
/// the stream's thread, which calls `assign`, never waits for it.
final class JobSupervisorSpawnTests: XCTestCase {
    /// Stalls every spawn of a plan whose arguments contain "stall" until `release()` (or 10 s),
    /// then spawns it for real.
    private final class StallingSpawner: @unchecked Sendable {
        private let gate = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var stalled = 0

        var stalledCount: Int { lock.withLock { stalled } }

        var function: ProcessSpawner.Function {
            { [self] plan, descriptors throws(ProcessSpawner.SpawnError) in
                if plan.arguments.contains("stall") {
                    lock.withLock { stalled += 1 }
                    // Bounded, so that a regression fails the test instead of hanging it.
                    _ = gate.wait(timeout: .now() + 10)
                }
                return try ProcessSpawner.spawn(plan, descriptors: descriptors)
            }
        }

        func release() { gate.signal() }
    }

    private func makeSupervisor(maxJobs: Int, outbox: Outbox, spawner: @escaping ProcessSpawner.Function = ProcessSpawner.spawn) -> JobSupervisor {
        JobSupervisor(
            configuration: .init(maxJobs: maxJobs, capacity: Hodei_V1_ResourceQuota(),
                                 defaultWorkingDirectory: FileManager.default.temporaryDirectory.path, spawner: spawner),
            outbox: outbox, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), onChange: {})
    }

    private func assignment(_ job: String, _ argv: [String]) -> Hodei_V1_AssignJobRequest {
        var request = Hodei_V1_AssignJobRequest()
        request.jobId = job
        request.attempt = 1
        var spec = Hodei_V1_JobSpec()
        spec.argv = argv
        request.spec = spec
        return request
    }

    /// Takes and acknowledges what the outbox holds until `done` says so (at most 10 s).
    private func collect(_ outbox: Outbox, until done: ([Hodei_V1_WorkerMessage]) -> Bool) async -> [Hodei_V1_WorkerMessage] {
        var messages: [Hodei_V1_WorkerMessage] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while !done(messages) && ContinuousClock.now < deadline {
            let batch = outbox.takeSendable(maximum: 64)
            if let last = batch.last { _ = outbox.acknowledge(last.sequence) }
            messages += batch
            if batch.isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
        }
        return messages
    }

    private static func describe(_ message: Hodei_V1_WorkerMessage) -> String {
        switch message.kind {
        case .accepted(let m): "accepted \(m.jobId)"
        case .rejected(let m): "rejected \(m.jobId)"
        case .log(let m): "log \(m.jobId) \(String(decoding: m.line, as: UTF8.self))"
        case .result(let m): "result \(m.jobId) \(m.finalState.protoName ?? "?")"
        default: "other"
        }
    }

    func testAStalledSpawnHoldsUpOnlyItsOwnJobAndACancelDuringItKillsTheProcessAtOnce() async throws {
        let spawner = StallingSpawner()
        let outbox = Outbox()
        let supervisor = makeSupervisor(maxJobs: 4, outbox: outbox, spawner: spawner.function)

        let before = ContinuousClock.now
        supervisor.assign(assignment("stuck", ["/bin/sh", "-c", "sleep 30", "stall"]), settings: AgentSettings())
        XCTAssertLessThan(ContinuousClock.now - before, .milliseconds(500), "assign waited for the spawn")
        // Another job runs to its end meanwhile.
        supervisor.assign(assignment("quick", ["/bin/echo", "hello"]), settings: AgentSettings())
        let first = await collect(outbox) { $0.contains { Self.describe($0) == "result quick JOB_STATE_SUCCEEDED" } }
        XCTAssertEqual(first.map(Self.describe), ["accepted quick", "log quick hello", "result quick JOB_STATE_SUCCEEDED"])
        XCTAssertEqual(spawner.stalledCount, 1)
        // The stalled job holds its slot: heartbeats list it as running.
        XCTAssertEqual(supervisor.runningJobs, [JobKey(jobId: "stuck", attempt: 1)])

        // Cancelled while its spawn is stalled: once the process exists it is killed at once,
        // not after the 30 s grace period.
        var cancel = Hodei_V1_CancelJobRequest()
        cancel.jobId = "stuck"
        cancel.reason = "changed my mind"
        supervisor.cancel(cancel, defaultGrace: .seconds(30))
        spawner.release()
        let released = ContinuousClock.now
        let rest = await collect(outbox) { $0.contains { Self.describe($0).hasPrefix("result stuck") } }
        XCTAssertLessThan(ContinuousClock.now - released, .seconds(5))
        XCTAssertEqual(rest.map(Self.describe), [
            "accepted stuck", "log stuck cancelled: changed my mind", "result stuck JOB_STATE_CANCELLED",
        ])
        guard case .result(let result)? = rest.last?.kind else { return XCTFail("no result") }
        XCTAssertEqual(result.termination, .signal(SIGKILL))
        XCTAssertTrue(supervisor.isIdle)
    }

    func testASpecThatCannotRunIsRejectedFromTheJobsThread() async throws {
        let outbox = Outbox()
        let supervisor = makeSupervisor(maxJobs: 1, outbox: outbox)
        supervisor.assign(assignment("missing", ["no-such-program-hodei"]), settings: AgentSettings())
        let messages = await collect(outbox) { !$0.isEmpty }
        guard case .rejected(let rejected)? = messages.first?.kind else { return XCTFail("\(messages.map(Self.describe))") }
        XCTAssertEqual(rejected.reason, .invalidSpec)
        XCTAssertTrue(rejected.message.contains("not found in PATH"), rejected.message)
        // The slot it held is free again.
        XCTAssertTrue(supervisor.isIdle)
        supervisor.assign(assignment("next", ["/bin/true"]), settings: AgentSettings())
        let next = await collect(outbox) { $0.contains { Self.describe($0).hasPrefix("result next") } }
        XCTAssertEqual(next.map(Self.describe), ["accepted next", "result next JOB_STATE_SUCCEEDED"])
    }

    func testASilentJobIsAcceptedSoonAfterItsSpawnNotAtItsEnd() async throws {
        // The acceptance may wait a few milliseconds to travel with the first output or the
        // result, not longer: a job that runs quietly is reported running long before it ends.
        let outbox = Outbox()
        let supervisor = makeSupervisor(maxJobs: 1, outbox: outbox)
        let assigned = ContinuousClock.now
        supervisor.assign(assignment("quiet", ["/bin/sleep", "5"]), settings: AgentSettings())
        let first = await collect(outbox) { !$0.isEmpty }
        XCTAssertEqual(first.map(Self.describe), ["accepted quiet"])
        XCTAssertLessThan(ContinuousClock.now - assigned, .seconds(1))
        var cancel = Hodei_V1_CancelJobRequest()
        cancel.jobId = "quiet"
        supervisor.cancel(cancel, defaultGrace: .zero)
        let rest = await collect(outbox) { $0.contains { Self.describe($0).hasPrefix("result quiet") } }
        XCTAssertEqual(rest.last.map(Self.describe), "result quiet JOB_STATE_CANCELLED")
    }
}
