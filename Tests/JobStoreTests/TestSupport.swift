import Foundation
import JobAPI
import JobStore
import ProtoRuntime
import XCTest

/// A fresh directory under the system temp dir, removed by the test's teardown.
func makeTemporaryDirectory(for test: XCTestCase) throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("hodei-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    return directory
}

/// A store on a new file in a fresh temp directory; closed by the test's teardown.
func openTemporaryStore(
    for test: XCTestCase, configuration: SQLiteStoreConfiguration = .init()
) throws -> (store: SQLiteJobStore, path: String) {
    let path = try makeTemporaryDirectory(for: test).appendingPathComponent("jobs.sqlite").path
    let store = try SQLiteJobStore(path: path, configuration: configuration)
    test.addTeardownBlock { await store.close() }
    return (store, path)
}

func timestamp(_ seconds: Int64, _ nanos: Int32 = 0) -> Google_Protobuf_Timestamp {
    var value = Google_Protobuf_Timestamp()
    value.seconds = seconds
    value.nanos = nanos
    return value
}

/// A job as the server would submit it: QUEUED, attempt 1.
func makeJob(
    id: String, submitOrder: UInt64, state: Hodei_V1_JobState = .queued, workerID: String = "",
    labels: [String: String] = [:], idempotencyKey: String = ""
) -> StoredJob {
    var spec = Hodei_V1_JobSpec()
    spec.argv = ["/bin/echo", id]
    spec.name = "job \(id)"
    spec.labels = labels
    spec.priority = .normal
    var job = Hodei_V1_Job()
    job.id = id
    job.spec = spec
    job.state = state
    job.attempt = 1
    job.workerId = workerID
    job.createdAt = timestamp(1_700_000_000 + Int64(submitOrder % 1_000_000_000), 123)
    return StoredJob(job: job, idempotencyKey: idempotencyKey, submitOrder: submitOrder)
}

func makeWorker(id: String, name: String, state: Hodei_V1_WorkerState = .available) -> StoredWorker {
    var total = Hodei_V1_ResourceQuota()
    total.cpuMillicores = 4_000
    total.memoryMb = 8_192
    var capabilities = Hodei_V1_WorkerCapabilities()
    capabilities.total = total
    capabilities.maxConcurrentJobs = 4
    capabilities.labels = ["zone": "eu-1"]
    capabilities.hostname = "\(name).local"
    return StoredWorker(
        id: id, name: name, capabilities: capabilities, state: state,
        registeredAt: timestamp(1_700_000_000), lastHeartbeatAt: timestamp(1_700_000_005, 500)
    )
}

func logEvent(sequence: UInt64, attempt: UInt32, logSequence: UInt64, stream: Hodei_V1_LogStream = .stdout, line: String) -> Hodei_V1_JobEvent {
    var entry = Hodei_V1_LogEntry()
    entry.attempt = attempt
    entry.sequence = logSequence
    entry.stream = stream
    entry.line = Array(line.utf8)
    entry.timestamp = timestamp(1_700_000_100 + Int64(sequence))
    var event = Hodei_V1_JobEvent()
    event.sequence = sequence
    event.timestamp = entry.timestamp
    event.kind = .log(entry)
    return event
}

func stateEvent(sequence: UInt64, from previous: Hodei_V1_JobState, to state: Hodei_V1_JobState, attempt: UInt32 = 1) -> Hodei_V1_JobEvent {
    var change = Hodei_V1_JobStateChange()
    change.previousState = previous
    change.state = state
    change.attempt = attempt
    change.reason = "\(previous) -> \(state)"
    var event = Hodei_V1_JobEvent()
    event.sequence = sequence
    event.timestamp = timestamp(1_700_000_200 + Int64(sequence))
    event.kind = .stateChanged(change)
    return event
}

extension JobStore {
    /// Writes and waits until durable.
    func commit(_ mutations: [StoreMutation]) async throws {
        try await write(mutations).durable()
    }
}

/// Asserts that `body` throws a `StoreError` of `kind`; returns it.
@discardableResult
func assertStoreError<T>(
    _ kind: StoreError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> T
) async -> StoreError? {
    do {
        _ = try await body()
        XCTFail("expected a StoreError(\(kind)), got success", file: file, line: line)
    } catch let error as StoreError {
        XCTAssertEqual(error.kind, kind, "\(error.message)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a StoreError(\(kind)), got \(error)", file: file, line: line)
    }
    return nil
}
