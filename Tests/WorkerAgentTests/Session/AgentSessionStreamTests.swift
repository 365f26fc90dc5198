import Foundation
import JobAPI
import RPCCore
import XCTest
@testable import WorkerAgent

/// Register, attach, assignments, acknowledgements, resends and re-registration, over HTTP/2
/// against a scripted fake server.
final class AgentSessionStreamTests: XCTestCase {
    /// What the scripts saw, for the assertions after the run.
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var _attaches: [Hodei_V1_AttachRequest] = []
        private var _streams: [Int: [Hodei_V1_WorkerMessage]] = [:]

        func attach(_ attach: Hodei_V1_AttachRequest) {
            lock.lock()
            _attaches.append(attach)
            lock.unlock()
        }

        func record(_ index: Int, _ messages: [Hodei_V1_WorkerMessage]) {
            lock.lock()
            _streams[index, default: []] += messages
            lock.unlock()
        }

        var attaches: [Hodei_V1_AttachRequest] {
            lock.lock()
            defer { lock.unlock() }
            return _attaches
        }

        func stream(_ index: Int) -> [Hodei_V1_WorkerMessage] {
            lock.lock()
            defer { lock.unlock() }
            return _streams[index] ?? []
        }
    }

    static func isResult(_ message: Hodei_V1_WorkerMessage) -> Bool {
        if case .result = message.kind { true } else { false }
    }

    static func isDrain(_ message: Hodei_V1_WorkerMessage) -> Bool {
        if case .drain = message.kind { true } else { false }
    }

    func testJobRunsAndWhatTheServerLostIsResentAfterTheStreamDrops() async throws {
        let job = JobKey(jobId: "job-resend", attempt: 1)
        let seen = Seen()
        let harness = try await SessionHarness { index, stream in
            let attach = try await stream.expectAttach()
            seen.attach(attach)
            switch index {
            case 0:
                try await stream.sendAttachAck(lastReceived: 0)
                try await stream.sendAssign(job, argv: ["/bin/sh", "-c", "for i in $(seq 1 300); do echo line $i; done; echo 50 half >&3"])
                var received: [Hodei_V1_WorkerMessage] = []
                while let message = try await stream.next() {
                    received.append(message)
                    if message.sequence == 40 { break }
                }
                // The server has durably processed up to 30, then loses the connection.
                try await stream.sendAck(30)
                while let message = try await stream.next() {
                    received.append(message)
                    if message.sequence == 60 { break }
                }
                seen.record(0, received)
                throw RPCError(code: .unavailable, message: "the fake server drops the stream")
            case 1:
                try await stream.sendAttachAck(lastReceived: 30)
                seen.record(1, try await stream.acknowledgeUntil(Self.isResult))
                try await stream.sendDrain(reason: "test over")
                seen.record(1, try await stream.acknowledgeUntil(Self.isDrain))
                let afterDrain = try await stream.next()
                XCTAssertNil(afterDrain, "the agent closes its side after the drain")
            default:
                XCTFail("unexpected stream \(index)")
            }
        }
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .drained)
        XCTAssertEqual(harness.service.registrations.count, 1)

        let attaches = seen.attaches
        XCTAssertEqual(attaches.count, 2)
        XCTAssertEqual(attaches.map(\.workerId), ["worker-1", "worker-1"])
        XCTAssertFalse(attaches[0].sessionId.isEmpty)
        XCTAssertEqual(attaches[1].sessionId, attaches[0].sessionId, "one session per agent process")
        XCTAssertEqual(attaches[0].lastAckSequence, 0)
        XCTAssertEqual(attaches[1].lastAckSequence, 30)
        XCTAssertEqual(Set(attaches[1].runningJobs + attaches[1].pendingResultJobs), [job.proto])

        let first = seen.stream(0)
        let second = seen.stream(1)
        XCTAssertEqual(first.map(\.sequence), Array(1...60))
        XCTAssertEqual(second.first?.sequence, 31, "the resend starts after last_received_sequence")
        XCTAssertEqual(second.map(\.sequence), Array(31...UInt64(30 + second.count)), "contiguous, in order")
        XCTAssertEqual(Array(second.prefix(30)), Array(first[30..<60]), "resent messages are identical")

        // What the server ends up with: everything, once, in order.
        let all = first.prefix(30) + second
        guard case .accepted(let accepted) = all.first?.kind else { return XCTFail("the first message is not JobAccepted") }
        XCTAssertEqual(accepted.jobId, job.jobId)
        XCTAssertGreaterThan(accepted.pid, 0)
        let logs = all.compactMap { if case .log(let entry) = $0.kind { entry } else { nil } }
        XCTAssertEqual(logs.map(\.text), (1...300).map { "line \($0)" })
        XCTAssertEqual(logs.map(\.sequence), Array(1...300))
        let progress = all.compactMap { if case .progress(let report) = $0.kind { report } else { nil } }
        XCTAssertEqual(progress.map { $0.progress?.percent }, [50])
        let results = all.compactMap { if case .result(let result) = $0.kind { result } else { nil } }
        XCTAssertEqual(results.count, 1)
        XCTAssertEqual(results.first?.finalState, .succeeded)
        XCTAssertEqual(results.first?.termination, .exitCode(0))
        XCTAssertEqual(results.first?.lastLogSequence, 300)
        XCTAssertTrue(Self.isDrain(all.last!))
    }

    func testRegistersAgainWhenTheServerNoLongerKnowsTheWorker() async throws {
        let seen = Seen()
        let harness = try await SessionHarness { index, stream in
            seen.attach(try await stream.expectAttach())
            if index == 0 { throw RPCError(code: .notFound, message: "unknown worker") }
            try await stream.sendAttachAck(lastReceived: 0)
            try await stream.sendDrain(reason: "done")
            seen.record(index, try await stream.acknowledgeUntil(Self.isDrain))
            let end = try await stream.next()
            XCTAssertNil(end)
        }
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .drained)
        let registrations = harness.service.registrations
        XCTAssertEqual(registrations.count, 2)
        XCTAssertEqual(registrations.map(\.name), ["test-worker", "test-worker"])
        XCTAssertEqual(registrations.first?.capabilities?.maxConcurrentJobs, 4)
        XCTAssertEqual(registrations.first?.capabilities?.total?.cpuMillicores, 4000)
        XCTAssertEqual(registrations.first?.capabilities?.labels, ["zone": "test"])
        XCTAssertEqual(seen.attaches.count, 2)
        XCTAssertEqual(seen.stream(1).map(\.sequence), [1], "only the DrainNotice")
    }

    func testTheWindowBoundsUnacknowledgedMessages() async throws {
        let job = JobKey(jobId: "job-window", attempt: 1)
        let seen = Seen()
        let box = SessionBox()
        let harness = try await SessionHarness { _, stream in
            _ = try await stream.expectAttach()
            try await stream.sendAttachAck(lastReceived: 0, maxUnacked: 8)
            try await stream.sendAssign(job, argv: ["seq", "1", "100"])
            var received: [Hodei_V1_WorkerMessage] = []
            while received.count < 8, let message = try await stream.next() { received.append(message) }
            // Nothing more may come until an Ack: give the agent time to (wrongly) send more.
            try await Task.sleep(for: .milliseconds(400))
            let counts = box.session!.outbox.counts
            XCTAssertEqual(counts.inFlight, 8)
            XCTAssertGreaterThan(counts.pending, 0)
            try await stream.sendAck(8)
            received += try await stream.acknowledgeUntil(Self.isResult)
            seen.record(0, received)
            try await stream.sendDrain(reason: "done")
            _ = try await stream.acknowledgeUntil(Self.isDrain)
            _ = try await stream.next()
        }
        box.session = harness.session
        let outcome = try await harness.run()
        XCTAssertEqual(outcome, .drained)
        let received = seen.stream(0)
        XCTAssertEqual(received.map(\.sequence), Array(1...UInt64(received.count)))
        XCTAssertEqual(received.count, 102, "accepted, 100 lines, result")
    }
}

/// Lets a script reach the session it talks to.
final class SessionBox: @unchecked Sendable {
    var session: AgentSession?
}
