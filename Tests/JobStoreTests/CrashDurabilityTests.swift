import Foundation
import JobAPI
import JobStore
import ProtoRuntime
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// kill -9 of a process in the middle of a stream of writes: every write it acknowledged
/// (its ticket resolved) is in the file afterwards.
///
/// The test re-runs its own test binary with `HODEI_STORE_CRASH_CHILD_DB` set, selecting this
/// same test: in the child, the test is the writer, printing a marker for each acknowledged
/// job id until it is killed.
final class CrashDurabilityTests: XCTestCase {
    private static let childVariable = "HODEI_STORE_CRASH_CHILD_DB"
    private static let acknowledgementsBeforeKill = 3_000

    func testAcknowledgedWritesSurviveKill9() async throws {
        if let path = ProcessInfo.processInfo.environment[Self.childVariable] {
            try await runWriterChild(path: path)
            return
        }
        let path = try makeTemporaryDirectory(for: self).appendingPathComponent("crash.sqlite").path
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["JobStoreTests.CrashDurabilityTests/testAcknowledgedWritesSurviveKill9"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: path]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        let collector = OutputCollector(output.fileHandleForReading)
        try child.run()

        // Bounded wait for enough acknowledgements, then kill mid-stream.
        let deadline = ContinuousClock.now + .seconds(120)
        while collector.acknowledged().count < Self.acknowledgementsBeforeKill, child.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTAssertTrue(child.isRunning, "the writer child ended before it was killed")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        XCTAssertEqual(child.terminationStatus, SIGKILL)
        collector.waitForEndOfFile(timeout: .seconds(30))

        let acknowledged = collector.acknowledged()
        XCTAssertGreaterThanOrEqual(acknowledged.count, Self.acknowledgementsBeforeKill)
        let store = try SQLiteJobStore(path: path)
        let stored = Set(try await store.loadState().activeJobs.map(\.job.id))
        await store.close()
        let missing = acknowledged.subtracting(stored)
        XCTAssertTrue(missing.isEmpty, "\(missing.count) acknowledged jobs are missing, e.g. \(Array(missing.prefix(5)))")
        XCTAssertGreaterThanOrEqual(stored.count, acknowledged.count)
    }

    /// The child: 16 concurrent writers insert jobs and print `@@ack <id>@@` once each is
    /// durable, with one write(2) per marker so that lines never interleave. Bounded: it stops
    /// after 200,000 jobs if nobody kills it.
    private func runWriterChild(path: String) async throws {
        // The server's configuration: the kill lands in a preallocated WAL.
        let store = try SQLiteJobStore(path: path, configuration: SQLiteStoreConfiguration(preallocateWAL: true))
        let writers = 16
        let perWriter = 12_500
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in 0..<perWriter {
                        let order = UInt64(writer * perWriter + index + 1)
                        let id = "crash-\(order)"
                        try await store.write([.insertJob(makeJob(id: id, submitOrder: order))]).durable()
                        let marker = Array("@@ack \(id)@@\n".utf8)
                        _ = marker.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.close()
    }
}

/// Reads a pipe to its end on a background thread, keeping the acknowledged ids it saw.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var ended = false
    private let endOfFile = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { buffer.append(contentsOf: chunk) }
            }
            lock.withLock { ended = true }
            endOfFile.signal()
        }
    }

    func waitForEndOfFile(timeout: Duration) {
        let seconds = Double(timeout.components.seconds)
        _ = endOfFile.wait(timeout: .now() + seconds)
    }

    /// Ids between complete `@@ack ` … `@@` markers seen so far.
    func acknowledged() -> Set<String> {
        let text = lock.withLock { String(decoding: buffer, as: UTF8.self) }
        var ids = Set<String>()
        var rest = text[...]
        while let start = rest.range(of: "@@ack ") {
            guard let end = rest[start.upperBound...].range(of: "@@") else { break }
            ids.insert(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return ids
    }
}
