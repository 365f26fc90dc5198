import Foundation
import Glibc
import JobAPI
import ProtoRuntime
import XCTest
@testable import WorkerAgent

/// Timeouts, cancellation of whole process groups, leftovers, memory limits.
final class JobTerminationTests: XCTestCase {
    func testTimeoutEndsTheJobTimedOut() async throws {
        var runner = JobRunner()
        runner.options.timeoutGracePeriod = .seconds(5)
        let started = ContinuousClock.now
        let (result, sink, process) = try await runner.run(runner.spec(["sleep", "30"]), timeout: .milliseconds(300))
        XCTAssertLessThan(started.duration(to: .now), .seconds(4))
        XCTAssertEqual(result.finalState, .timedOut)
        XCTAssertEqual(result.termination, .signal(SIGTERM))
        XCTAssertTrue(result.errorMessage.contains("timed out"), result.errorMessage)
        XCTAssertEqual(sink.logs.last?.stream, .system)
        XCTAssertTrue(sink.logs.last?.text.contains("timeout") ?? false)
        XCTAssertEqual(result.lastLogSequence, sink.logs.last?.sequence)
        let gone = await processGroupIsGone(process.pid)
        XCTAssertTrue(gone)
    }

    func testTimeoutEscalatesToSIGKILLAfterTheGrace() async throws {
        var runner = JobRunner()
        runner.options.timeoutGracePeriod = .milliseconds(300)
        // An ignored SIGTERM is inherited by sleep too.
        let (result, _, _) = try await runner.run(runner.spec(["/bin/sh", "-c", "trap '' TERM; sleep 30"]), timeout: .milliseconds(200))
        XCTAssertEqual(result.finalState, .timedOut)
        XCTAssertEqual(result.termination, .signal(SIGKILL))
        XCTAssertLessThan(Duration(result.duration!), .seconds(5))
    }

    func testCancelKillsTheWholeGroupIncludingGrandchildren() async throws {
        let runner = JobRunner()
        let script = "sleep 1000 & sleep 1000 & (sleep 1000; echo never) & echo started; wait"
        let (process, sink) = try runner.start(runner.spec(["/bin/sh", "-c", script]))
        XCTAssertTrue(sink.waitUntil { messages in messages.contains { if case .log(let entry) = $0 { entry.text == "started" } else { false } } })
        let pgid = process.pid
        XCTAssertEqual(kill(-pgid, 0), 0, "the group should be alive before the cancel")
        process.terminate(.cancelled(reason: "user asked"), gracePeriod: .seconds(5))
        let result = try await withDeadline(.seconds(30)) { await process.result() }
        XCTAssertEqual(result.finalState, .cancelled)
        XCTAssertEqual(result.termination, .signal(SIGTERM))
        XCTAssertEqual(result.errorMessage, "cancelled: user asked")
        let gone = await processGroupIsGone(pgid)
        XCTAssertTrue(gone, "processes of group \(pgid) are left after the cancel")
        XCTAssertFalse(sink.logs.contains { $0.text == "never" })
    }

    func testCancelEscalatesToSIGKILLForGrandchildrenThatIgnoreSIGTERM() async throws {
        let runner = JobRunner()
        let script = "trap '' TERM; sleep 1000 & echo started; wait"
        let (process, sink) = try runner.start(runner.spec(["/bin/sh", "-c", script]))
        XCTAssertTrue(sink.waitUntil { $0.count >= 1 })
        let started = ContinuousClock.now
        process.terminate(.cancelled(reason: ""), gracePeriod: .milliseconds(300))
        let result = try await withDeadline(.seconds(30)) { await process.result() }
        XCTAssertEqual(result.finalState, .cancelled)
        XCTAssertEqual(result.termination, .signal(SIGKILL))
        XCTAssertLessThan(started.duration(to: .now), .seconds(5))
        let gone = await processGroupIsGone(process.pid)
        XCTAssertTrue(gone)
    }

    func testLeftoversOfAJobThatExitedAreKilled() async throws {
        let runner = JobRunner()
        let started = ContinuousClock.now
        // The background sleep keeps stdout open; the job is over when sh exits.
        let (result, sink, process) = try await runner.run(runner.spec(["/bin/sh", "-c", "sleep 1000 & echo done"]))
        XCTAssertLessThan(started.duration(to: .now), .seconds(4))
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.map(\.text), ["done"])
        let gone = await processGroupIsGone(process.pid)
        XCTAssertTrue(gone)
    }

    func testOutputHeldByAProcessOutsideTheGroupIsAbandonedAfterTheDrainTimeout() async throws {
        var runner = JobRunner()
        runner.options.outputDrainTimeout = .milliseconds(300)
        let started = ContinuousClock.now
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-escaped-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        // The escaped process starts a session of its own (out of the job's group) and keeps
        // stdout open; the job waits until it runs, then exits.
        let script = "setsid sh -c 'touch \"$0\"; exec sleep 3' \"$1\" & while [ ! -e \"$1\" ]; do sleep 0.02; done; echo hi"
        let (result, sink, _) = try await runner.run(runner.spec(["/bin/sh", "-c", script, "sh", marker]))
        XCTAssertLessThan(started.duration(to: .now), .seconds(2.5))
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.first?.text, "hi")
        XCTAssertEqual(sink.logs.last?.stream, .system)
        XCTAssertTrue(sink.logs.last?.text.contains("output still open") ?? false)
    }

    func testMemoryLimitIsEnforcedWhereTheJobAskedForOne() async throws {
        let runner = JobRunner()
        let bigBuffer = ["dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1"]
        let (limited, limitedSink, _) = try await runner.run(runner.spec(bigBuffer, memoryMB: 64))
        XCTAssertEqual(limited.finalState, .failed)
        XCTAssertTrue(limitedSink.logs.contains { $0.stream == .stderr && $0.text.contains("memory exhausted") },
                      "\(limitedSink.logs.map(\.text))")
        let (unlimited, _, _) = try await runner.run(runner.spec(bigBuffer))
        XCTAssertEqual(unlimited.finalState, .succeeded)
        XCTAssertGreaterThan(unlimited.peakMemoryBytes, 200 << 20)
    }

    func testMemoryLimitKeepsArgvAndTheProcessGroup() async throws {
        let runner = JobRunner()
        let (result, sink, process) = try await runner.run(runner.spec(["/bin/sh", "-c", "ulimit -v; ps -o pgid= -p $$", "ignored"], memoryMB: 100))
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.map { $0.text.trimmingCharacters(in: .whitespaces) }, ["\(100 * 1024)", "\(process.pid)"])
    }
}
