/// What a server handler knows about its call besides the messages.
public struct ServerContext: Sendable {
    public let method: MethodDescriptor
    /// The request headers that are not transport-owned (`authorization`, custom keys).
    public let metadata: Metadata
    /// When the client stops waiting, from `grpc-timeout`; the handler is cancelled then.
    public let deadline: ContinuousClock.Instant?
    /// The peer's address, such as `127.0.0.1:53122`.
    public let peer: String

    public init(method: MethodDescriptor, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: String) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
    }
}
