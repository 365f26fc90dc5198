import Foundation
import JobAPI
import Logging
import ProtoRPC
import RPCCore
import RPCTransportHTTP2
import XCTest
@testable import Server

/// A real Hodei server on 127.0.0.1 with its SQLite file in a temporary folder, and clients.
final class TestServer: @unchecked Sendable {
    static let clientToken = "client-secret"
    static let workerToken = "worker-secret"

    let directory: URL
    var server: HodeiServer!
    var transport: GRPCClient!
    var configuration: ServerConfiguration

    init(heartbeat: Duration = .seconds(5), grace: Duration = .seconds(10), directory: URL? = nil) throws {
        self.directory = try directory ?? {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-server-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }()
        configuration = ServerConfiguration()
        configuration.port = 0
        configuration.metricsPort = 0
        configuration.databasePath = self.directory.appendingPathComponent("hodei.db").path
        configuration.clientTokens = [Self.clientToken]
        configuration.workerTokens = [Self.workerToken]
        configuration.durableCommits = false
        configuration.coordinator.heartbeatInterval = heartbeat
        configuration.coordinator.failureGracePeriod = grace
    }

    func start() async throws {
        server = try await HodeiServer.start(configuration, logger: Logger(label: "test"))
        transport = try GRPCClient(host: "127.0.0.1", port: server.port)
    }

    func stop() async {
        try? await transport?.shutdown()
        await server?.shutdown(gracePeriod: .seconds(1))
    }

    func removeFiles() { try? FileManager.default.removeItem(at: directory) }

    var jobs: Hodei_V1_JobServiceClient { Hodei_V1_JobServiceClient(transport: transport) }
    var workers: Hodei_V1_WorkerServiceClient { Hodei_V1_WorkerServiceClient(transport: transport) }
    static var clientAuth: Metadata { ["authorization": "Bearer \(clientToken)"] }
    static var workerAuth: Metadata { ["authorization": "Bearer \(workerToken)"] }

    func submit(_ argv: [String], priority: Hodei_V1_Priority = .normal, key: String = "", maxAttempts: UInt32 = 0,
                cpu: UInt32 = 0, labels: [String: String] = [:]) async throws -> String {
        var request = Hodei_V1_SubmitJobRequest()
        var spec = Hodei_V1_JobSpec()
        spec.argv = argv
        spec.priority = priority
        spec.maxAttempts = maxAttempts
        spec.labels = labels
        if cpu > 0 {
            var resources = Hodei_V1_ResourceQuota()
            resources.cpuMillicores = cpu
            spec.resources = resources
        }
        request.spec = spec
        request.idempotencyKey = key
        return try await jobs.submitJob(request, metadata: Self.clientAuth).jobId
    }

    func job(_ id: String) async throws -> Hodei_V1_Job {
        var request = Hodei_V1_GetJobRequest()
        request.jobId = id
        return try await jobs.getJob(request, metadata: Self.clientAuth)
    }

    /// Polls until `condition` holds for the job (bounded).
    func waitForJob(_ id: String, timeout: Duration = .seconds(10), _ condition: (Hodei_V1_Job) -> Bool) async throws -> Hodei_V1_Job {
        let deadline = ContinuousClock.now + timeout
        while true {
            let job = try await job(id)
            if condition(job) { return job }
            if ContinuousClock.now > deadline {
                XCTFail("job \(id) did not reach the expected condition; last: \(job.state) attempt \(job.attempt) worker \(job.workerId)")
                return job
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
