import Foundation
import JobAPI
import JobStore
import Logging
import NIOCore
import NIOPosix
import RPCCore
import RPCTransportHTTP2
import StandardServices

/// A running Hodei server: store, coordinator, gRPC services, health monitor and /metrics.
final class HodeiServer: Sendable {
    let configuration: ServerConfiguration
    let store: SQLiteJobStore
    let coordinator: JobCoordinator
    let metrics: ServerMetrics
    let health: HealthService
    let grpc: GRPCServer
    let port: Int
    let metricsServer: MetricsHTTPServer?
    private let background: Task<Void, Never>
    private let logger: Logger

    static let serviceNames = ["hodei.v1.JobService", "hodei.v1.WorkerService", "grpc.health.v1.Health",
                               "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]

    /// Opens the store, restores state, and starts serving.
    static func start(_ configuration: ServerConfiguration, logger: Logger) async throws -> HodeiServer {
        try configuration.validate()
        let directory = (configuration.databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        var storeConfiguration = SQLiteStoreConfiguration()
        storeConfiguration.synchronous = configuration.durableCommits ? .full : .normal
        // Only flushed commits gain from it (see SQLiteStoreConfiguration.preallocateWAL).
        storeConfiguration.preallocateWAL = configuration.durableCommits
        let store = try SQLiteJobStore(path: configuration.databasePath, configuration: storeConfiguration)
        let metrics = ServerMetrics()
        let hub = JobEventHub()
        let publisher = EventPublisher(hub: hub)
        let coordinator = JobCoordinator(store: store, configuration: configuration.coordinator, publisher: publisher,
                                         metrics: metrics, logger: logger)
        try await coordinator.restore(from: store.loadState())

        let authenticator = Authenticator(clientTokens: configuration.clientTokens, workerTokens: configuration.workerTokens)
        let health = HealthService()
        var router = RPCRouter(health.serverMethods)
        for method in JobServiceHandler(coordinator: coordinator, store: store, hub: hub, authenticator: authenticator).serverMethods {
            router.add(method)
        }
        for method in WorkerServiceHandler(coordinator: coordinator, authenticator: authenticator).serverMethods {
            router.add(method)
        }
        for method in ReflectionService(files: StandardAPIFiles.all, services: serviceNames).allServerMethods { router.add(method) }
        var transport = GRPCServerConfiguration()
        transport.maxConnections = configuration.maxConnections
        transport.idlePollWindow = configuration.idlePollWindow
        let grpc = try GRPCServer(router: router, configuration: transport, tls: configuration.tls, eventLoops: configuration.eventLoops)
        let port = try await grpc.start(host: configuration.host, port: configuration.port)
        for service in ["", "hodei.v1.JobService", "hodei.v1.WorkerService"] { health.setStatus(.serving, for: service) }

        var metricsServer: MetricsHTTPServer?
        if let host = configuration.metricsHost {
            metricsServer = try await MetricsHTTPServer.start(host: host, port: configuration.metricsPort, metrics: metrics,
                                                              group: MultiThreadedEventLoopGroup.singleton) {
                await coordinator.refreshGauges()
            }
        }
        let tick = max(Duration.milliseconds(50), configuration.coordinator.heartbeatInterval / 5)
        let background = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                await coordinator.checkWorkerHealth()
            }
        }
        return HodeiServer(configuration: configuration, store: store, coordinator: coordinator, metrics: metrics, health: health,
                           grpc: grpc, port: port, metricsServer: metricsServer, background: background,
                           logger: logger)
    }

    private init(configuration: ServerConfiguration, store: SQLiteJobStore, coordinator: JobCoordinator, metrics: ServerMetrics,
                 health: HealthService, grpc: GRPCServer, port: Int, metricsServer: MetricsHTTPServer?, background: Task<Void, Never>,
                 logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.coordinator = coordinator
        self.metrics = metrics
        self.health = health
        self.grpc = grpc
        self.port = port
        self.metricsServer = metricsServer
        self.background = background
        self.logger = logger
    }

    /// Graceful stop: health NOT_SERVING, GOAWAY, in-flight calls get `gracePeriod`, then
    /// the store commits what is queued and closes.
    func shutdown(gracePeriod: Duration = .seconds(10)) async {
        health.enterShutdown()
        await coordinator.closeAllSessions()
        try? await grpc.shutdown(gracePeriod: gracePeriod)
        await metricsServer?.close()
        background.cancel()
        await background.value
        await store.close()
        logger.info("server stopped")
    }
}
