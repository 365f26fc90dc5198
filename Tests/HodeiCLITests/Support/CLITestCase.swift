import Foundation
import JobAPI
import XCTest

/// A test with a fresh fake server, and `hodei` pointed at it through HODEI_SERVER and
/// HODEI_TOKEN.
class CLITestCase: XCTestCase {
    private(set) var server: FakeServer!

    override func setUp() async throws {
        server = try await FakeServer.start(workers: Self.workers)
    }

    override func tearDown() async throws {
        await server.stop()
    }

    /// Runs `hodei arguments...` against the fake server with the right token (or `token`).
    func hodei(_ arguments: String..., token: String? = FakeServer.token, environment: [String: String] = [:]) async throws -> CLIProcess.Output {
        var environment = environment
        environment["HODEI_SERVER"] = server.address
        if let token { environment["HODEI_TOKEN"] = token }
        return try await CLIProcess.run(arguments, environment: environment)
    }

    /// Workers the fake server knows: "alpha" (w-1, running one job) and "beta" (w-2, idle).
    static var workers: [Hodei_V1_WorkerStatus] {
        var alpha = Hodei_V1_WorkerStatus()
        alpha.id = "w-1"
        alpha.name = "alpha"
        alpha.state = .running
        alpha.connected = true
        var capabilities = Hodei_V1_WorkerCapabilities()
        var total = Hodei_V1_ResourceQuota()
        total.cpuMillicores = 4000
        total.memoryMb = 8192
        capabilities.total = total
        capabilities.maxConcurrentJobs = 4
        capabilities.labels = ["zone": "eu", "arch": "amd64"]
        alpha.capabilities = capabilities
        var running = Hodei_V1_JobAttempt()
        running.jobId = "j-7"
        running.attempt = 1
        alpha.runningJobs = [running]
        alpha.cpuUsagePercent = 37.4
        alpha.memoryUsedMb = 1536
        var beta = Hodei_V1_WorkerStatus()
        beta.id = "w-2"
        beta.name = "beta"
        beta.state = .available
        beta.connected = true
        beta.memoryUsedMb = 512
        return [beta, alpha]
    }
}
