import Foundation
import Glibc
import JobAPI
import XCTest
@testable import WorkerAgent

/// Log lines: volume, order, long lines, binary bytes, backpressure.
final class JobOutputTests: XCTestCase {
    func testHundredThousandLinesArriveInOrderOnce() async throws {
        let runner = JobRunner()
        let started = ContinuousClock.now
        let (result, sink, _) = try await runner.run(runner.spec(["seq", "1", "100000"]))
        let elapsed = started.duration(to: .now)
        XCTAssertEqual(result.finalState, .succeeded)
        let logs = sink.logs
        XCTAssertEqual(logs.count, 100_000)
        for (index, entry) in logs.enumerated() {
            guard entry.sequence == UInt64(index + 1), entry.text == String(index + 1), entry.stream == .stdout, !entry.partial else {
                XCTFail("entry \(index): sequence \(entry.sequence), line \(entry.text)")
                return
            }
        }
        XCTAssertEqual(result.lastLogSequence, 100_000)
        print("100,000 lines through JobProcess in \(elapsed)")
        XCTAssertLessThan(elapsed, .seconds(20))
    }

    func testLongLinesAreSplitIntoPartialPieces() async throws {
        var runner = JobRunner()
        runner.options.maxLogChunkBytes = 10
        let script = "printf 'abcdefghijklmnopqrstuvwxy\\n0123456789\\n\\nshort\\n0123456789ABCDEFGHIJ'"
        let (_, sink, _) = try await runner.run(runner.spec(["/bin/sh", "-c", script]))
        let pieces = sink.logs.map { "\($0.text)\($0.partial ? "+" : "")" }
        XCTAssertEqual(pieces, ["abcdefghij+", "klmnopqrst+", "uvwxy", "0123456789", "", "short", "0123456789+", "ABCDEFGHIJ"])
        XCTAssertEqual(sink.logs.map(\.sequence), Array(1...8))
    }

    func testBinaryOutputIsPassedThroughAsBytes() async throws {
        let runner = JobRunner()
        // NUL, 0xFF, an invalid UTF-8 pair, a carriage return.
        let (_, sink, _) = try await runner.run(runner.spec(["/bin/sh", "-c", "printf 'a\\000b\\377\\303\\050\\r\\n'"]))
        XCTAssertEqual(sink.logs.map(\.line), [[0x61, 0x00, 0x62, 0xFF, 0xC3, 0x28, 0x0D]])
    }

    func testBlockedSinkStopsReadingAndTheJobWaits() async throws {
        let runner = JobRunner()
        let sink = RecordingSink(capacity: 100)
        let (process, _) = try runner.start(runner.spec(["seq", "1", "300000"]), sink: sink)
        XCTAssertTrue(sink.waitUntil { $0.count == 100 })
        // The pump is stuck in the sink; the pipes fill up; seq blocks in write.
        try await Task.sleep(for: .milliseconds(500))
        XCTAssertEqual(sink.count, 100)
        XCTAssertFalse(process.hasExited, "the job should be blocked writing, not finished")
        sink.consume(1_000_000)
        let result = try await withDeadline(.seconds(60)) { await process.result() }
        XCTAssertEqual(result.finalState, .succeeded)
        let logs = sink.logs
        XCTAssertEqual(logs.count, 300_000)
        XCTAssertEqual(logs.last?.text, "300000")
        XCTAssertTrue(zip(logs, 1...).allSatisfy { $0.sequence == UInt64($1) })
    }
}
