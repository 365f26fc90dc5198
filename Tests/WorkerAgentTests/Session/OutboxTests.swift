import Foundation
import JobAPI
import XCTest
@testable import WorkerAgent

final class OutboxTests: XCTestCase {
    private let jobA = JobKey(jobId: "a", attempt: 1)
    private let jobB = JobKey(jobId: "b", attempt: 1)

    private func log(_ job: JobKey, _ sequence: UInt64) -> Hodei_V1_WorkerMessage.Kind {
        Self.log(job, sequence)
    }

    private static func log(_ job: JobKey, _ sequence: UInt64) -> Hodei_V1_WorkerMessage.Kind {
        var entry = Hodei_V1_LogEntry()
        entry.jobId = job.jobId
        entry.attempt = job.attempt
        entry.sequence = sequence
        entry.line = Array("line \(sequence)".utf8)
        return .log(entry)
    }

    private func result(_ job: JobKey) -> Hodei_V1_WorkerMessage.Kind {
        var result = Hodei_V1_JobResult()
        result.jobId = job.jobId
        result.attempt = job.attempt
        return .result(result)
    }

    private func logSequences(_ messages: [Hodei_V1_WorkerMessage]) -> [String] {
        messages.map { message in
            if case .log(let entry) = message.kind { return "\(entry.jobId)\(entry.sequence)" }
            if case .result(let result) = message.kind { return "\(result.jobId)=" }
            return "?"
        }
    }

    func testSequencesAreGivenInOrderAndAcksTrimCumulatively() {
        let outbox = Outbox()
        for sequence in 1...10 { outbox.appendOutput(log(jobA, UInt64(sequence)), of: jobA) }
        let sent = outbox.takeSendable(maximum: 100)
        XCTAssertEqual(sent.map(\.sequence), Array(1...10))
        XCTAssertEqual(logSequences(sent), (1...10).map { "a\($0)" })
        XCTAssertFalse(outbox.isSettled)
        outbox.acknowledge(4)
        XCTAssertEqual(outbox.counts.inFlight, 6)
        XCTAssertEqual(outbox.lastAcknowledged, 4)
        outbox.acknowledge(3) // stale: ignored
        XCTAssertEqual(outbox.counts.inFlight, 6)
        outbox.acknowledge(99) // more than was sent: clamped
        XCTAssertEqual(outbox.lastAcknowledged, 10)
        XCTAssertTrue(outbox.isSettled)
        outbox.appendControl(result(jobA))
        XCTAssertEqual(outbox.takeSendable(maximum: 10).map(\.sequence), [11])
    }

    func testTheWindowLimitsMessagesInFlight() {
        let outbox = Outbox(limits: Outbox.Limits(window: 3))
        for sequence in 1...10 { outbox.appendOutput(log(jobA, UInt64(sequence)), of: jobA) }
        XCTAssertEqual(outbox.takeSendable(maximum: 100).map(\.sequence), [1, 2, 3])
        XCTAssertEqual(outbox.takeSendable(maximum: 100), [])
        outbox.acknowledge(2)
        XCTAssertEqual(outbox.takeSendable(maximum: 100).map(\.sequence), [4, 5])
        outbox.setWindow(100)
        XCTAssertEqual(outbox.takeSendable(maximum: 100).map(\.sequence), Array(6...10))
    }

    func testResumeResendsWhatTheServerDidNotGetWithTheSameNumbers() {
        let outbox = Outbox()
        for sequence in 1...5 { outbox.appendOutput(log(jobA, UInt64(sequence)), of: jobA) }
        let first = outbox.takeSendable(maximum: 100)
        outbox.acknowledge(1)
        outbox.appendOutput(log(jobA, 6), of: jobA)
        // The stream broke; the new stream's AttachAck says the server has up to 3.
        outbox.resume(afterServerReceived: 3)
        XCTAssertEqual(outbox.lastAcknowledged, 3)
        let resent = outbox.takeSendable(maximum: 100)
        XCTAssertEqual(resent.map(\.sequence), [4, 5, 6])
        XCTAssertEqual(Array(resent.prefix(2)), Array(first[3...4]), "resent messages are identical, numbers included")
        XCTAssertEqual(logSequences(resent), ["a4", "a5", "a6"])
    }

    func testResumeFromAFreshServerResendsEverythingUnacknowledged() {
        let outbox = Outbox()
        for sequence in 1...3 { outbox.appendOutput(log(jobA, UInt64(sequence)), of: jobA) }
        _ = outbox.takeSendable(maximum: 100)
        outbox.resume(afterServerReceived: 0)
        XCTAssertEqual(outbox.takeSendable(maximum: 100).map(\.sequence), [1, 2, 3])
    }

    func testDroppedJobsDisappearAndTheRestIsRenumberedContiguously() {
        let outbox = Outbox()
        for sequence in 1...3 {
            outbox.appendOutput(log(jobA, UInt64(sequence)), of: jobA)
            outbox.appendOutput(log(jobB, UInt64(sequence)), of: jobB)
        }
        outbox.appendControl(result(jobA))
        XCTAssertEqual(outbox.pendingResultJobs, [jobA])
        _ = outbox.takeSendable(maximum: 2) // a1 b1
        outbox.drop([jobA])
        XCTAssertEqual(outbox.pendingResultJobs, [])
        outbox.appendOutput(log(jobA, 4), of: jobA) // discarded at once, never blocks
        outbox.appendControl(result(jobA))
        outbox.resume(afterServerReceived: 0)
        let resent = outbox.takeSendable(maximum: 100)
        XCTAssertEqual(logSequences(resent), ["b1", "b2", "b3"])
        XCTAssertEqual(resent.map(\.sequence), [1, 2, 3])
    }

    func testPendingResultsAreTrackedUntilAcknowledged() {
        let outbox = Outbox()
        outbox.appendOutput(log(jobA, 1), of: jobA)
        outbox.appendControl(result(jobA))
        outbox.appendControl(result(jobB))
        XCTAssertEqual(Set(outbox.pendingResultJobs), [jobA, jobB])
        _ = outbox.takeSendable(maximum: 100)
        outbox.acknowledge(2)
        XCTAssertEqual(outbox.pendingResultJobs, [jobB])
        outbox.acknowledge(3)
        XCTAssertEqual(outbox.pendingResultJobs, [])
    }

    func testOutputSpillsToDiskPastTheMemoryLimitAndComesBackInOrder() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let outbox = Outbox(limits: Outbox.Limits(window: 10_000, memoryMessages: 10, spoolDirectory: directory))
        for sequence in 1...1000 { outbox.appendOutput(log(jobA, UInt64(sequence)), of: jobA) }
        outbox.appendControl(result(jobA)) // behind the spooled output
        XCTAssertEqual(outbox.counts.pending, 10)
        XCTAssertEqual(outbox.counts.spooled, 991)
        var sent: [Hodei_V1_WorkerMessage] = []
        for _ in 0..<100 {
            let batch = outbox.takeSendable(maximum: 64)
            if batch.isEmpty { break }
            sent += batch
        }
        XCTAssertEqual(sent.map(\.sequence), Array(1...1001))
        XCTAssertEqual(logSequences(sent), (1...1000).map { "a\($0)" } + ["a="])
        XCTAssertEqual(outbox.counts.spooled, 0)
    }

    func testWithoutSpoolOutputBlocksAtTheMemoryLimitUntilMessagesGoOut() async throws {
        let outbox = Outbox(limits: Outbox.Limits(window: 1000, memoryMessages: 5, spoolDirectory: nil))
        let done = SharedFlag()
        let producer = Thread { [jobA] in
            for sequence in 1...20 { outbox.appendOutput(Self.log(jobA, UInt64(sequence)), of: jobA) }
            done.set()
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(outbox.counts.pending, 5)
        XCTAssertFalse(done.isSet, "the producer should be blocked")
        // Control messages are never blocked.
        outbox.appendControl(result(jobB))
        XCTAssertEqual(outbox.counts.pending, 6)

        var sent: [Hodei_V1_WorkerMessage] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while sent.count < 21 && ContinuousClock.now < deadline {
            sent += outbox.takeSendable(maximum: 3)
            try await Task.sleep(for: .milliseconds(5))
        }
        XCTAssertTrue(done.isSet)
        XCTAssertEqual(sent.count, 21)
        XCTAssertEqual(sent.map(\.sequence), Array(1...21))
        let logs = logSequences(sent).filter { $0.hasPrefix("a") }
        XCTAssertEqual(logs, (1...20).map { "a\($0)" })
    }

    func testOutputBlocksWhenTheSpoolIsFullToo() async throws {
        let directory = FileManager.default.temporaryDirectory.path
        let outbox = Outbox(limits: Outbox.Limits(window: 1000, memoryMessages: 2, spoolBytes: 200, spoolDirectory: directory))
        let produced = ManagedCounter()
        let producer = Thread { [jobA] in
            for sequence in 1...50 {
                outbox.appendOutput(Self.log(jobA, UInt64(sequence)), of: jobA)
                produced.increment()
            }
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(300))
        let stuckAt = produced.value
        XCTAssertLessThan(stuckAt, 50)
        XCTAssertGreaterThan(stuckAt, 2)
        XCTAssertLessThanOrEqual(outbox.counts.spooled * 10, 250, "about 200 bytes of spool")
        var sent: [Hodei_V1_WorkerMessage] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while sent.count < 50 && ContinuousClock.now < deadline {
            sent += outbox.takeSendable(maximum: 4)
            try await Task.sleep(for: .milliseconds(2))
        }
        XCTAssertEqual(logSequences(sent), (1...50).map { "a\($0)" })
    }
}

/// A counter shared with a producer thread.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
