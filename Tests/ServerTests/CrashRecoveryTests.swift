import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2
import Synchronization
import TestSupport
import XCTest

/// kill -9 of a real hodei-server process: every acknowledged submission and every
/// acknowledged result is there after the restart.
final class CrashRecoveryTests: XCTestCase {
    func testKill9LosesNoAcknowledgedSubmissionOrResult() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("hodei.db").path

        let first = try ServerProcess(database: database, extraArguments: ["--sync", "full"])
        let transport = try GRPCClient(host: "127.0.0.1", port: first.port)
        let jobs = Hodei_V1_JobServiceClient(transport: transport)

        // Some jobs run to completion through a scripted agent; their results are acked.
        let agent = FakeAgent(name: "crash-worker", transport: transport)
        let finished: [String] = try await withTimeout(.seconds(60)) {
            try await agent.register(maxJobs: 1)
            try await agent.attach()
            var finished: [String] = []
            for index in 0..<10 {
                let id = try await submit(jobs, ["done", "\(index)"])
                let assign = try await agent.nextAssignment()
                try await agent.accept(assign)
                try await agent.log(assign, sequence: 1, "output of \(index)")
                try await agent.finish(id, attempt: assign.attempt, exitCode: Int32(index), state: index == 0 ? .succeeded : .failed)
                try await agent.waitForAck(agent.sequence)
                finished.append(id)
            }
            return finished
        }
        agent.dropStream()

        // Concurrent submitters; the server is killed while they are still going.
        let acknowledged = SharedList()
        let submitters = Task {
            await withTaskGroup(of: Void.self) { group in
                for submitter in 0..<8 {
                    group.addTask {
                        for index in 0..<5_000 {
                            guard let id = try? await submit(jobs, ["queued", "\(submitter)-\(index)"]) else { return }
                            acknowledged.append(id)
                        }
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while acknowledged.count < 300 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        first.kill9()
        await submitters.value
        try? await transport.shutdown()
        let acked = acknowledged.items
        XCTAssertGreaterThanOrEqual(acked.count, 300)

        let second = try ServerProcess(database: database)
        defer { second.terminate() }
        let transport2 = try GRPCClient(host: "127.0.0.1", port: second.port)
        let jobs2 = Hodei_V1_JobServiceClient(transport: transport2)
        try await withTimeout(.seconds(60)) {
            for id in acked {
                var get = Hodei_V1_GetJobRequest()
                get.jobId = id
                let job = try await jobs2.getJob(get, metadata: TestServer.clientAuth)
                // Queued, or assigned if the dropped agent's worker still looked attached.
                XCTAssertTrue([.queued, .assigned].contains(job.state), "\(id): \(job.state)")
            }
            for (index, id) in finished.enumerated() {
                var get = Hodei_V1_GetJobRequest()
                get.jobId = id
                let job = try await jobs2.getJob(get, metadata: TestServer.clientAuth)
                XCTAssertEqual(job.state, index == 0 ? .succeeded : .failed)
                XCTAssertEqual(job.result?.termination, .exitCode(Int32(index)))
                var logs = Hodei_V1_GetJobLogsRequest()
                logs.jobId = id
                let lines = try await jobs2.getJobLogs(logs, metadata: TestServer.clientAuth).entries.map { String(decoding: $0.line, as: UTF8.self) }
                XCTAssertEqual(lines, ["output of \(index)"])
            }
        }
        try? await transport2.shutdown()
    }
}

private func submit(_ jobs: Hodei_V1_JobServiceClient, _ argv: [String]) async throws -> String {
    var request = Hodei_V1_SubmitJobRequest()
    var spec = Hodei_V1_JobSpec()
    spec.argv = argv
    request.spec = spec
    return try await jobs.submitJob(request, metadata: TestServer.clientAuth).jobId
}

/// Ids collected by concurrent tasks.
private final class SharedList: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ id: String) { storage.withLock { $0.append(id) } }
    var count: Int { storage.withLock { $0.count } }
    var items: [String] { storage.withLock { $0 } }
}
