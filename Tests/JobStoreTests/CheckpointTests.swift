import Foundation
import JobAPI
@testable import JobStore
import XCTest

/// Checkpoints run beside the writer and keep the WAL short.
final class CheckpointTests: XCTestCase {
    func testTheWALStaysShortOverManyCommitsAndNothingIsLost() async throws {
        // synchronous NORMAL: the same WAL traffic without an fsync per commit, to keep it fast.
        let (store, path) = try openTemporaryStore(for: self, configuration: SQLiteStoreConfiguration(synchronous: .normal, checkpointPages: 1_000))
        let commits = 1_500
        var line = Hodei_V1_LogEntry()
        line.line = Array(repeating: UInt8(ascii: "x"), count: 6_000)
        for order in 1...commits {
            let job = makeJob(id: String(format: "j-%05d", order), submitOrder: UInt64(order))
            var event = Hodei_V1_JobEvent()
            event.sequence = 1
            event.kind = .log(line)
            // One transaction each: awaited before the next.
            try await store.commit([.insertJob(job), .appendEvents(jobID: job.job.id, events: [event])])
            // A server has pauses between bursts; a background checkpoint completes in them.
            // Waited for (at most 2 s), not slept: a busy disk makes a checkpoint slow.
            if order % 100 == 0 { try await waitUntilIdle(store.checkpointer) }
        }
        // Each commit writes at least two pages (the 6 KB line), so well over 3,000 pages went
        // through the WAL. Without the checkpointer the WAL would reach the writer's backstop
        // (4,096 pages) before being reset; with it, it is reset near 1,000.
        let walBytes = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        XCTAssertLessThan(walBytes, 2_500 * 4_096, "the WAL grew to \(walBytes) bytes")
        let page = try await store.jobs(matching: JobQuery(pageSize: 5))
        XCTAssertEqual(page.jobs.first?.job.id, String(format: "j-%05d", commits))
        let events = try await store.events(jobID: "j-01500", fromSequence: 0, includeLogs: true, limit: 10)
        XCTAssertEqual(events.count, 1)
    }

    /// One commit at a time with no pause, as a server running one job at a time: commits
    /// keep landing while the thread copies, so only the writer can complete a checkpoint.
    /// It does, the WAL starts over, and the thread does not chase the commits.
    func testBackToBackCommitsLetTheWALStartOverWithoutChasingCheckpoints() async throws {
        let (store, _) = try openTemporaryStore(for: self, configuration: SQLiteStoreConfiguration(synchronous: .normal, checkpointPages: 200))
        let commits = 3_000
        for order in 1...commits {
            let job = makeJob(id: String(format: "b-%05d", order), submitOrder: UInt64(order))
            try await store.commit([.insertJob(job)])
        }
        let checkpointer = store.checkpointer
        // Each commit writes at least 3 pages: thousands of frames went through a WAL that
        // holds 200 before a checkpoint is asked for. (Its peak size is left alone: it
        // depends on how many commits land during a pass, i.e. on the machine's speed.)
        XCTAssertGreaterThanOrEqual(checkpointer.writerCompletions, 3, "the writer completed \(checkpointer.writerCompletions) checkpoints")
        // Three passes at most per checkpoint the writer completed, plus the ones under way.
        XCTAssertLessThanOrEqual(checkpointer.threadPasses, 3 * checkpointer.writerCompletions + 3,
                                 "\(checkpointer.threadPasses) passes of the thread for \(checkpointer.writerCompletions) completions")
        let page = try await store.jobs(matching: JobQuery(pageSize: 1))
        XCTAssertEqual(page.jobs.first?.job.id, String(format: "b-%05d", commits))
    }

    private func waitUntilIdle(_ checkpointer: Checkpointer) async throws {
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(10))
            if checkpointer.isIdle { return }
        }
    }
}
