import Foundation
import Glibc
import JobAPI
import RPCCore
import XCTest
@testable import WorkerAgent

/// Rejections, cancellation, drains, orphans, heartbeats and stops, against the fake server.
final class AgentSessionJobsTests: XCTestCase {
    typealias Seen = AgentSessionStreamTests.Seen

    private static func kinds(_ messages: [Hodei_V1_WorkerMessage]) -> [String] {
        messages.map { message in
            switch message.kind {
            case .accepted(let m): "accepted \(m.jobId)"
            case .rejected(let m): "rejected \(m.jobId) \(m.reason.protoName ?? "?")"
            case .log(let m): "log \(m.jobId) \(m.text)"
            case .progress(let m): "progress \(m.jobId)"
            case .result(let m): "result \(m.jobId) \(m.finalState.protoName ?? "?")"
            case .drain: "drain"
            case .attach, .heartbeat, nil: "?"
            }
        }
    }

    private static func isResult(of job: String) -> (Hodei_V1_WorkerMessage) -> Bool {
        { if case .result(let result) = $0.kind { result.jobId == job } else { false } }
    }

    private static func isRejection(of job: String) -> (Hodei_V1_WorkerMessage) -> Bool {
        { if case .rejected(let rejected) = $0.kind { rejected.jobId == job } else { false } }
    }

    func testCapacityCancellationAndServerDrain() async throws {
        let seen = Seen()
        let harness = try await SessionHarness(maxJobs: 1) { _, stream in
            _ = try await stream.expectAttach()
            try await stream.sendAttachAck(lastReceived: 0)
            let long = JobKey(jobId: "long", attempt: 1)
            try await stream.sendAssign(long, argv: ["sleep", "30"])
            try await stream.sendAssign(JobKey(jobId: "second", attempt: 1), argv: ["true"])
            try await stream.sendAssign(long, argv: ["sleep", "30"]) // a duplicate: ignored
            // Cancelled once it runs (a cancel that overtakes the spawn kills it outright).
            var rejected = false, accepted = false
            seen.record(0, try await stream.acknowledgeUntil { message in
                if Self.isRejection(of: "second")(message) { rejected = true }
                if case .accepted(let acceptance) = message.kind, acceptance.jobId == "long" { accepted = true }
                return rejected && accepted
            })
            try await stream.sendCancel(long, reason: "no longer needed")
            seen.record(0, try await stream.acknowledgeUntil(Self.isResult(of: "long")))
            // Sent together: the agent handles them before it sees its DrainNotice acknowledged
            // (a drained agent with nothing left closes at once). A server drain still takes
            // PRIORITY_HIGH jobs.
            try await stream.sendDrain(reason: "scale down")
            try await stream.sendAssign(JobKey(jobId: "normal", attempt: 1), argv: ["true"])
            try await stream.sendAssign(JobKey(jobId: "urgent", attempt: 1), argv: ["echo", "urgent"], priority: .high)
            seen.record(0, try await stream.acknowledgeUntil(Self.isResult(of: "urgent")))
            let end = try await stream.next()
            XCTAssertNil(end, "the agent closes its side once drained")
        }
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .drained)
        let kinds = Self.kinds(seen.stream(0))
        // The acceptance comes from the job's thread once it is spawned, the rejection from the
        // stream at once: between two jobs either may come first.
        XCTAssertEqual(Set(kinds.prefix(2)), ["accepted long", "rejected second REASON_AT_CAPACITY"])
        XCTAssertEqual(Array(kinds.dropFirst(2)), [
            "log long cancelled: no longer needed",
            "result long JOB_STATE_CANCELLED",
            "drain",
            "rejected normal REASON_DRAINING",
            "accepted urgent",
            "log urgent urgent",
            "result urgent JOB_STATE_SUCCEEDED",
        ])
        let results = seen.stream(0).compactMap { if case .result(let result) = $0.kind { result } else { nil } }
        XCTAssertEqual(results.first?.termination, .signal(SIGTERM))
        XCTAssertEqual(results.first?.errorMessage, "cancelled: no longer needed")
    }

    func testLocalDrainRejectsNewJobsFinishesRunningOnesThenCloses() async throws {
        let seen = Seen()
        let box = SessionBox()
        let harness = try await SessionHarness { _, stream in
            _ = try await stream.expectAttach()
            try await stream.sendAttachAck(lastReceived: 0)
            try await stream.sendAssign(JobKey(jobId: "running", attempt: 1), argv: ["/bin/sh", "-c", "sleep 0.3; echo finished"])
            seen.record(0, try await stream.acknowledgeUntil { if case .accepted = $0.kind { true } else { false } })
            box.session!.requestDrain(reason: "SIGTERM received") // as the signal handler does
            seen.record(0, try await stream.acknowledgeUntil { if case .drain = $0.kind { true } else { false } })
            try await stream.sendAssign(JobKey(jobId: "late", attempt: 1), argv: ["true"], priority: .high)
            seen.record(0, try await stream.acknowledgeUntil(Self.isResult(of: "running")))
            let end = try await stream.next()
            XCTAssertNil(end)
        }
        box.session = harness.session
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .drained)
        let kinds = Self.kinds(seen.stream(0))
        XCTAssertEqual(Array(kinds.prefix(2)), ["accepted running", "drain"])
        XCTAssertTrue(kinds.contains("rejected late REASON_DRAINING"), "\(kinds)")
        XCTAssertEqual(Array(kinds.suffix(2)), ["log running finished", "result running JOB_STATE_SUCCEEDED"])
    }

    func testOrphanedJobsAreKilledAndNeverReported() async throws {
        let seen = Seen()
        let orphan = JobKey(jobId: "orphan", attempt: 1)
        let pid = LockedValue<pid_t>(0)
        let harness = try await SessionHarness { index, stream in
            let attach = try await stream.expectAttach()
            seen.attach(attach)
            switch index {
            case 0:
                try await stream.sendAttachAck(lastReceived: 0, heartbeat: .milliseconds(100))
                try await stream.sendAssign(orphan, argv: ["/bin/sh", "-c", "echo hello; exec sleep 30"])
                var messages = try await stream.acknowledgeUntil { if case .log = $0.kind { true } else { false } }
                // A heartbeat may list the job even before its acceptance; wait for one after.
                messages += try await stream.readUntilHeartbeat { $0.runningJobs.contains(orphan.proto) }
                seen.record(0, messages)
                let heartbeat = stream.heartbeats.last!
                XCTAssertEqual(heartbeat.workerId, "worker-1")
                XCTAssertNotNil(heartbeat.timestamp)
                XCTAssertTrue((0...100).contains(heartbeat.cpuUsagePercent))
                XCTAssertGreaterThan(heartbeat.memoryUsedMb, 0)
                if case .accepted(let accepted) = messages.first?.kind { pid.value = pid_t(accepted.pid) }
                throw RPCError(code: .unavailable, message: "connection lost")
            default:
                // The server requeued the job elsewhere meanwhile.
                try await stream.sendAttachAck(lastReceived: 2, orphans: [orphan], heartbeat: .milliseconds(100))
                seen.record(1, try await stream.readUntilHeartbeat { $0.runningJobs.isEmpty })
                try await stream.sendDrain(reason: "done")
                seen.record(1, try await stream.acknowledgeUntil { if case .drain = $0.kind { true } else { false } })
                let end = try await stream.next()
                XCTAssertNil(end)
            }
        }
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .drained)
        XCTAssertEqual(seen.attaches.count, 2)
        XCTAssertEqual(seen.attaches.last?.runningJobs, [orphan.proto])
        XCTAssertEqual(Self.kinds(seen.stream(0)), ["accepted orphan", "log orphan hello"])
        XCTAssertEqual(Self.kinds(seen.stream(1)), ["drain"], "nothing about the orphan after the attach")
        XCTAssertEqual(seen.stream(1).first?.sequence, 3)
        XCTAssertGreaterThan(pid.value, 0)
        let gone = await processGroupIsGone(pid.value)
        XCTAssertTrue(gone, "the orphan's process group is still alive")
    }

    func testUnaryHeartbeatsBetweenStreamsAndReRegistrationWhenTheyAreRefused() async throws {
        let seen = Seen()
        let harness = try await SessionHarness(configure: { service in
            service.heartbeatInterval = .milliseconds(50)
            service.heartbeatAnswer = { count in
                if count == 1 { throw RPCError(code: .notFound, message: "unknown worker") }
                var response = Hodei_V1_HeartbeatResponse()
                response.state = .unhealthy
                return response
            }
        }) { index, stream in
            seen.attach(try await stream.expectAttach())
            // The first streams fail before attaching, so the backoff grows and unary
            // heartbeats go out while the agent waits.
            if index < 10 { throw RPCError(code: .unavailable, message: "not yet") }
            try await stream.sendAttachAck(lastReceived: 0)
            try await stream.sendDrain(reason: "done")
            _ = try await stream.acknowledgeUntil { if case .drain = $0.kind { true } else { false } }
            _ = try await stream.next()
        }
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .drained)
        let heartbeats = harness.service.unaryHeartbeats
        XCTAssertGreaterThanOrEqual(heartbeats.count, 2)
        XCTAssertTrue(heartbeats.allSatisfy { $0.workerId == "worker-1" && $0.timestamp != nil && $0.memoryUsedMb > 0 })
        XCTAssertEqual(harness.service.registrations.count, 2, "registered again after the NOT_FOUND heartbeat")
        XCTAssertEqual(seen.attaches.count, 11)
    }

    func testSecondSignalCancelsRunningJobsAndExitsAfterReporting() async throws {
        let seen = Seen()
        let box = SessionBox()
        let harness = try await SessionHarness { _, stream in
            _ = try await stream.expectAttach()
            try await stream.sendAttachAck(lastReceived: 0)
            try await stream.sendAssign(JobKey(jobId: "stubborn", attempt: 1), argv: ["sleep", "30"])
            seen.record(0, try await stream.acknowledgeUntil { if case .accepted = $0.kind { true } else { false } })
            box.session!.requestDrain(reason: "SIGTERM received")
            box.session!.forceStop()
            seen.record(0, try await stream.acknowledgeUntil(Self.isResult(of: "stubborn")))
            _ = try await stream.next()
        }
        box.session = harness.session
        let started = ContinuousClock.now
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .stopped(allReported: true))
        XCTAssertLessThan(started.duration(to: .now), .seconds(10))
        let kinds = Self.kinds(seen.stream(0))
        XCTAssertEqual(kinds.first, "accepted stubborn")
        XCTAssertEqual(kinds.last, "result stubborn JOB_STATE_CANCELLED")
        XCTAssertTrue(kinds.contains("drain"))
    }

    func testStopWithoutAServerGivesUpAfterItsDeadline() async throws {
        let harness = try await SessionHarness { _, stream in
            _ = try await stream.expectAttach()
            throw RPCError(code: .unavailable, message: "never attaches")
        }
        let session = harness.session
        Task {
            try await Task.sleep(for: .milliseconds(300))
            session.requestDrain(reason: "SIGTERM received")
            session.forceStop()
            session.forceStop() // a third signal: now
        }
        let outcome = try await harness.run(limit: .seconds(20))
        XCTAssertEqual(outcome, .stopped(allReported: false), "the DrainNotice was never acknowledged")
    }

    func testRefusedTokenIsFatal() async throws {
        let harness = try await SessionHarness(configure: { _ in }) { _, _ in }
        // A session with the wrong token against the same server.
        var configuration = harness.session.configuration
        configuration.token = "wrong"
        let session = AgentSession(configuration: configuration, transport: harness.client, logger: harness.session.logger)
        let outcome = try await withDeadline(.seconds(20)) { await session.run() }
        await harness.stop()
        guard case .fatal(let reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(reason.contains("UNAUTHENTICATED"), reason)
        XCTAssertEqual(harness.service.registrations.count, 0)
    }
}
