import JobAPI
import Logging
import RPCCore
import Synchronization

extension AgentSession {
    /// RegisterWorker: learns (or resumes) the worker id and the server's settings.
    ///
    /// - Throws: the call's error; see ``RPCFailure/ofRegistration(_:)``.
    func register() async throws {
        var request = Hodei_V1_RegisterWorkerRequest()
        request.name = configuration.name
        request.capabilities = configuration.capabilities
        let response = try await client.registerWorker(
            request, metadata: configuration.callMetadata, options: RPCCallOptions(timeout: .seconds(15)))
        guard !response.workerId.isEmpty else {
            throw RPCError(code: .internal, message: "RegisterWorker returned no worker id")
        }
        let settings = state.withLock { state in
            state.workerId = response.workerId
            state.settings.apply(response.settings, heartbeatInterval: response.heartbeatInterval)
            state.registrations += 1
            return state.settings
        }
        identity.set(response.workerId)
        outbox.setWindow(settings.maxUnackedMessages)
        logger.info("registered", metadata: [
            "worker_id": "\(response.workerId)", "resumed": "\(response.resumed)",
            "heartbeat_interval": "\(settings.heartbeatInterval)", "max_unacked": "\(settings.maxUnackedMessages)",
        ])
    }
}
