import Synchronization

/// What a server handler knows about its call besides the messages.
public struct ServerContext: Sendable {
    public let method: MethodDescriptor
    /// The request headers that are not transport-owned (`authorization`, custom keys).
    public let metadata: Metadata
    /// When the client stops waiting, from `grpc-timeout`; the handler is cancelled then.
    public let deadline: ContinuousClock.Instant?
    /// The peer's address, such as `127.0.0.1:53122`.
    public let peer: String

    private let trailers = TrailingMetadataBox()

    public init(method: MethodDescriptor, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: String) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
    }

    /// Metadata sent in the trailers when the call ends.
    public var trailingMetadata: Metadata { trailers.value.withLock { $0 } }

    /// Metadata sent with the response headers (typed unary handlers have no writer).
    public var initialMetadata: Metadata { trailers.initial.withLock { $0 } }

    public func addInitialMetadata(_ key: String, _ value: String) {
        trailers.initial.withLock { $0.add(key, value) }
    }

    /// Whether response messages are compressed by default (when the client accepts gzip).
    public var compressesResponses: Bool {
        get { trailers.compressResponses.withLock { $0 } }
        nonmutating set { trailers.compressResponses.withLock { $0 = newValue } }
    }

    /// Whether the single request message of a unary call arrived compressed.
    public var requestWasCompressed: Bool {
        get { trailers.requestCompressed.withLock { $0 } }
        nonmutating set { trailers.requestCompressed.withLock { $0 = newValue } }
    }

    /// Adds a trailer to send when the call ends.
    public func addTrailingMetadata(_ key: String, _ value: String) {
        trailers.value.withLock { $0.add(key, value) }
    }

    public func addTrailingMetadata(_ key: String, binary value: [UInt8]) {
        trailers.value.withLock { $0.add(key, binary: value) }
    }
}

/// Shared by copies of one call's context, so a handler can add trailers from anywhere.
private final class TrailingMetadataBox: Sendable {
    let value = Mutex(Metadata())
    let initial = Mutex(Metadata())
    let compressResponses = Mutex(false)
    let requestCompressed = Mutex(false)
}
