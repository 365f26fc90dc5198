import JobAPI
import ProtoRuntime

/// The server-chosen parameters the agent follows (RegisterWorkerResponse, then every
/// AttachAck), with the defaults the protocol names for unset fields.
struct AgentSettings: Sendable, Equatable {
    var heartbeatInterval: Duration = .seconds(5)
    var maxLogChunkBytes = 16 * 1024
    var maxUnackedMessages = 1024
    var cancelGracePeriod: Duration = .seconds(10)
    var maxReconnectBackoff: Duration = .seconds(30)

    init() {}

    /// Takes every field the server set; unset (zero) fields keep their current values.
    mutating func apply(_ settings: Hodei_V1_WorkerSettings?, heartbeatInterval: Google_Protobuf_Duration?) {
        self.heartbeatInterval = .positive(heartbeatInterval, or: self.heartbeatInterval)
        guard let settings else { return }
        if settings.maxLogChunkBytes > 0 { maxLogChunkBytes = Int(settings.maxLogChunkBytes) }
        if settings.maxUnackedMessages > 0 { maxUnackedMessages = Int(settings.maxUnackedMessages) }
        cancelGracePeriod = .positive(settings.cancelGracePeriod, or: cancelGracePeriod)
        maxReconnectBackoff = .positive(settings.maxReconnectBackoff, or: maxReconnectBackoff)
    }
}
