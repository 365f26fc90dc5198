/// The four shapes of a gRPC call.
public enum RPCKind: Sendable, Hashable {
    case unary
    case clientStreaming
    case serverStreaming
    case bidirectionalStreaming

    public init(clientStreams: Bool, serverStreams: Bool) {
        switch (clientStreams, serverStreams) {
        case (false, false): self = .unary
        case (true, false): self = .clientStreaming
        case (false, true): self = .serverStreaming
        case (true, true): self = .bidirectionalStreaming
        }
    }

    /// The client may send more than one request message.
    public var isClientStreaming: Bool { self == .clientStreaming || self == .bidirectionalStreaming }

    /// The server may send more than one response message.
    public var isServerStreaming: Bool { self == .serverStreaming || self == .bidirectionalStreaming }
}
