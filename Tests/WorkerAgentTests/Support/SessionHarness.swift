import Foundation
import JobAPI
import Logging
import RPCTransportHTTP2
import XCTest
@testable import WorkerAgent

/// A real ``AgentSession`` talking HTTP/2 to a ``FakeWorkerService`` on loopback.
final class SessionHarness: @unchecked Sendable {
    let service: FakeWorkerService
    let server: GRPCServer
    let client: GRPCClient
    let session: AgentSession

    init(maxJobs: UInt32 = 4, configure: (FakeWorkerService) -> Void = { _ in }, script: @escaping FakeWorkerService.Script) async throws {
        let service = FakeWorkerService(script: script)
        configure(service)
        self.service = service
        let (server, port) = try await service.serve()
        self.server = server
        var transport = GRPCClientConfiguration()
        transport.backoff.initial = .milliseconds(20)
        transport.backoff.maximum = .milliseconds(100)
        client = try GRPCClient(host: "127.0.0.1", port: port, configuration: transport)

        var total = Hodei_V1_ResourceQuota()
        total.cpuMillicores = 4000
        total.memoryMb = 8192
        var capabilities = Hodei_V1_WorkerCapabilities()
        capabilities.total = total
        capabilities.maxConcurrentJobs = maxJobs
        capabilities.labels = ["zone": "test"]
        capabilities.agentVersion = ResolvedAgentOptions.agentVersion
        var configuration = AgentConfiguration(
            name: "test-worker", capabilities: capabilities, token: service.expectedToken,
            defaultWorkingDirectory: FileManager.default.temporaryDirectory.path,
            spoolDirectory: FileManager.default.temporaryDirectory.path)
        configuration.backoffBase = .milliseconds(50)
        // Quiet unless HODEI_TEST_LOG names a level (e.g. HODEI_TEST_LOG=debug).
        var logger = Logger(label: "hodei.agent.test")
        if let level = ProcessInfo.processInfo.environment["HODEI_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) {
            logger.logLevel = level
        } else {
            logger = Logger(label: "hodei.agent.test", factory: { _ in SwiftLogNoOpLogHandler() })
        }
        session = AgentSession(configuration: configuration, transport: client, logger: logger)
    }

    /// Runs the session to its end (at most `limit`), then stops client and server.
    func run(limit: Duration = .seconds(60)) async throws -> AgentSession.Outcome {
        let session = self.session
        do {
            let outcome = try await withDeadline(limit) { await session.run() }
            await stop()
            return outcome
        } catch {
            await stop()
            throw error
        }
    }

    func stop() async {
        try? await client.shutdown()
        try? await server.shutdown(gracePeriod: .seconds(1))
    }
}
