import Synchronization

/// What a server handler knows about its call besides the messages.
///
/// One reference to a shared box: copies are cheap, and a handler can add metadata from any
/// copy. What the handler may change sits behind one lock.
public struct ServerContext: Sendable {
    private let box: Box

    public init(method: MethodDescriptor, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: String, requestWasCompressed: Bool = false) {
        box = Box(method: method, metadata: metadata, deadline: deadline, peer: peer, requestWasCompressed: requestWasCompressed)
    }

    public var method: MethodDescriptor { box.method }
    /// The request headers that are not transport-owned (`authorization`, custom keys).
    public var metadata: Metadata { box.metadata }
    /// When the client stops waiting, from `grpc-timeout`; the handler is cancelled then.
    public var deadline: ContinuousClock.Instant? { box.deadline }
    /// The peer's address, such as `127.0.0.1:53122`.
    public var peer: String { box.peer }

    /// Metadata sent in the trailers when the call ends.
    public var trailingMetadata: Metadata { box.state.withLock { $0.trailing } }

    /// Metadata sent with the response headers (typed unary handlers have no writer).
    public var initialMetadata: Metadata { box.state.withLock { $0.initial } }

    public func addInitialMetadata(_ key: String, _ value: String) {
        box.state.withLock { $0.initial.add(key, value) }
    }

    /// Whether response messages are compressed by default (when the client accepts gzip).
    public var compressesResponses: Bool {
        get { box.state.withLock { $0.compressesResponses } }
        nonmutating set { box.state.withLock { $0.compressesResponses = newValue } }
    }

    /// Whether the single request message of a unary call arrived compressed.
    public var requestWasCompressed: Bool {
        get { box.state.withLock { $0.requestWasCompressed } }
        nonmutating set { box.state.withLock { $0.requestWasCompressed = newValue } }
    }

    /// Adds a trailer to send when the call ends.
    public func addTrailingMetadata(_ key: String, _ value: String) {
        box.state.withLock { $0.trailing.add(key, value) }
    }

    public func addTrailingMetadata(_ key: String, binary value: [UInt8]) {
        box.state.withLock { $0.trailing.add(key, binary: value) }
    }

    /// `initialMetadata` and `compressesResponses` under one lock, for a transport sending a
    /// unary response.
    package var responseOptions: (initialMetadata: Metadata, compresses: Bool) {
        box.state.withLock { ($0.initial, $0.compressesResponses) }
    }
}

/// Shared by copies of one call's context.
private final class Box: Sendable {
    struct State {
        var trailing = Metadata()
        var initial = Metadata()
        var compressesResponses = false
        var requestWasCompressed = false
    }

    let method: MethodDescriptor
    let metadata: Metadata
    let deadline: ContinuousClock.Instant?
    let peer: String
    let state: Mutex<State>

    init(method: MethodDescriptor, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: String, requestWasCompressed: Bool) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
        state = Mutex(State(requestWasCompressed: requestWasCompressed))
    }
}
