import Foundation
import JobAPI
import XCTest
@testable import WorkerAgent

/// Volume through the whole agent: process → pipes → outbox → HTTP/2 → server.
final class AgentSessionThroughputTests: XCTestCase {
    func testHundredThousandLinesReachTheServerInOrderOnce() async throws {
        let job = JobKey(jobId: "chatty", attempt: 1)
        let received = LockedValue<[Hodei_V1_WorkerMessage]>([])
        let elapsed = LockedValue<Duration>(.zero)
        let harness = try await SessionHarness { _, stream in
            _ = try await stream.expectAttach()
            try await stream.sendAttachAck(lastReceived: 0, maxUnacked: 1000)
            let started = ContinuousClock.now
            try await stream.sendAssign(job, argv: ["seq", "1", "100000"])
            let messages = try await stream.acknowledgeUntil(every: 250) { if case .result = $0.kind { true } else { false } }
            elapsed.value = started.duration(to: .now)
            received.value = messages
            try await stream.sendDrain(reason: "done")
            _ = try await stream.acknowledgeUntil { if case .drain = $0.kind { true } else { false } }
            _ = try await stream.next()
        }
        let outcome = try await harness.run(limit: .seconds(120))
        XCTAssertEqual(outcome, .drained)
        let messages = received.value
        XCTAssertEqual(messages.count, 100_002)
        XCTAssertEqual(messages.map(\.sequence), Array(1...100_002))
        let lines = messages.compactMap { if case .log(let entry) = $0.kind { entry } else { nil } }
        XCTAssertEqual(lines.count, 100_000)
        XCTAssertTrue(lines.enumerated().allSatisfy { $1.sequence == UInt64($0 + 1) && $1.text == String($0 + 1) })
        let seconds = elapsed.value.inSeconds
        print("100,000 lines from seq to the fake server over HTTP/2 in \(elapsed.value) (\(Int(100_000 / seconds)) lines/s)")
        XCTAssertLessThan(elapsed.value, .seconds(60))
    }
}
