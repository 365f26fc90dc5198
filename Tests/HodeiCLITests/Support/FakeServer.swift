import JobAPI
import RPCCore
import RPCTransportHTTP2

/// The fake JobService and WorkerService served by the real HTTP/2 transport on 127.0.0.1.
final class FakeServer: Sendable {
    static let token = "test-token"

    let jobs: FakeJobService
    let workers: FakeWorkerService
    let port: Int
    private let server: GRPCServer

    var address: String { "127.0.0.1:\(port)" }

    private init(jobs: FakeJobService, workers: FakeWorkerService, server: GRPCServer, port: Int) {
        self.jobs = jobs
        self.workers = workers
        self.server = server
        self.port = port
    }

    /// - Parameter tls: serve TLS instead of h2c.
    static func start(workers: [Hodei_V1_WorkerStatus] = [], tls: TLSConfiguration? = nil) async throws -> FakeServer {
        let jobService = FakeJobService(token: token)
        let workerService = FakeWorkerService(token: token, workers: workers)
        let server = try GRPCServer(router: RPCRouter(jobService.serverMethods + workerService.serverMethods), tls: tls, eventLoops: 1)
        let port = try await server.start(port: 0)
        return FakeServer(jobs: jobService, workers: workerService, server: server, port: port)
    }

    func stop() async {
        try? await server.shutdown(gracePeriod: .seconds(1))
    }
}
