import JobAPI
import ProtoRPC
import RPCCore
import Synchronization

/// `grpc.health.v1.Health`: per-service serving status for load balancers and probes.
///
/// The empty service name is the server as a whole. `Watch` sends the current status, then
/// every change, until the client goes away.
public final class HealthService: Grpc_Health_V1_HealthProvider {
    public typealias ServingStatus = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: ServingStatus] = ["": .serving]
        var watchers: [Int: (service: String, continuation: AsyncStream<ServingStatus>.Continuation)] = [:]
        var nextWatcher = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Sets a service's status and tells its watchers.
    public func setStatus(_ status: ServingStatus, for service: String) {
        let watchers = state.withLock { state in
            state.statuses[service] = status
            return state.watchers.values.filter { $0.service == service }.map(\.continuation)
        }
        for watcher in watchers { watcher.yield(status) }
    }

    /// Marks every service NOT_SERVING (for a graceful shutdown).
    public func enterShutdown() {
        let services = state.withLock { Array($0.statuses.keys) }
        for service in services { setStatus(.notServing, for: service) }
    }

    public func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = state.withLock({ $0.statuses[request.service] }) else {
            throw RPCError(code: .notFound, message: "unknown service \(request.service)")
        }
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = status
        return response
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: MessageWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        let (updates, continuation) = AsyncStream<ServingStatus>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = (request.service, continuation)
            continuation.yield(state.statuses[request.service] ?? .serviceUnknown)
            return id
        }
        defer { _ = state.withLock { $0.watchers.removeValue(forKey: id) } }
        var last: ServingStatus?
        for await status in updates where status != last {
            last = status
            var message = Grpc_Health_V1_HealthCheckResponse()
            message.status = status
            try await response.write(message)
        }
    }
}
