import Foundation
import JobAPI
@testable import JobStore
import XCTest

/// `preallocateWAL` writes the WAL out to full size at open without changing what it holds.
final class WALPreallocationTests: XCTestCase {
    func testTheWALIsFullSizeAtOpenAndJobsSurviveAReopen() async throws {
        let configuration = SQLiteStoreConfiguration(checkpointPages: 200, preallocateWAL: true)
        let (store, path) = try openTemporaryStore(for: self, configuration: configuration)
        let expected = WALPreallocation.size(frames: 250, pageSize: 4_096)
        XCTAssertGreaterThanOrEqual(try fileSize(path + "-wal"), expected)
        for order in 1...30 {
            try await store.commit([.insertJob(makeJob(id: "j-\(order)", submitOrder: UInt64(order)))])
        }
        await store.close()

        let reopened = try SQLiteJobStore(path: path, configuration: configuration)
        XCTAssertGreaterThanOrEqual(try fileSize(path + "-wal"), expected)
        try await reopened.commit([.insertJob(makeJob(id: "j-31", submitOrder: 31))])
        let ids = Set(try await reopened.loadState().activeJobs.map(\.job.id))
        await reopened.close()
        XCTAssertEqual(ids, Set((1...31).map { "j-\($0)" }))
    }

    /// A WAL holding committed frames that are not in the database file yet (what a crash
    /// leaves) is extended, not overwritten: recovery still finds every commit.
    func testAWALWithUncheckpointedCommitsKeepsThemWhenExtended() async throws {
        let (store, path) = try openTemporaryStore(for: self, configuration: SQLiteStoreConfiguration(checkpointPages: 100_000))
        for order in 1...40 {
            try await store.commit([.insertJob(makeJob(id: "c-\(order)", submitOrder: UInt64(order)))])
        }
        // A copy taken while the store is open and idle is a crash image: the commits are in
        // the WAL only.
        let copy = try makeTemporaryDirectory(for: self).appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
        let copiedWAL = try fileSize(copy + "-wal")
        XCTAssertGreaterThan(copiedWAL, 40 * 4_096, "the commits should still be in the WAL")
        // Recovery runs when the copy is opened: give it a zero tail to read past first.
        XCTAssertGreaterThan(try WALPreallocation.extend(path: copy + "-wal", to: copiedWAL + 64 * 4_120), 0)

        let recovered = try SQLiteJobStore(path: copy, configuration: SQLiteStoreConfiguration(checkpointPages: 1_000, preallocateWAL: true))
        XCTAssertGreaterThanOrEqual(try fileSize(copy + "-wal"), WALPreallocation.size(frames: 1_250, pageSize: 4_096))
        let ids = Set(try await recovered.loadState().activeJobs.map(\.job.id))
        XCTAssertEqual(ids, Set((1...40).map { "c-\($0)" }))
        try await recovered.commit([.insertJob(makeJob(id: "c-41", submitOrder: 41))])
        await recovered.close()

        let reopened = try SQLiteJobStore(path: copy)
        let all = Set(try await reopened.loadState().activeJobs.map(\.job.id))
        await reopened.close()
        XCTAssertEqual(all, Set((1...41).map { "c-\($0)" }))
    }

    func testExtendingAddsZerosOnlyPastTheEnd() throws {
        let path = try makeTemporaryDirectory(for: self).appendingPathComponent("file").path
        let original = Data((0..<1_000).map { UInt8($0 % 251) })
        try original.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try WALPreallocation.extend(path: path, to: 3_000_000), 2_999_000)
        let extended = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(extended.count, 3_000_000)
        XCTAssertEqual(extended.prefix(1_000), original)
        XCTAssertTrue(extended.dropFirst(1_000).allSatisfy { $0 == 0 })
        XCTAssertEqual(try WALPreallocation.extend(path: path, to: 2_000), 0, "a larger file is left alone")
        XCTAssertThrowsError(try WALPreallocation.extend(path: path + "-missing", to: 10)) { error in
            XCTAssertTrue("\(error)".contains("-missing"), "\(error)")
        }
    }

    private func fileSize(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }
}
