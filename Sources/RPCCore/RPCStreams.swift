/// The request messages of a call, as encoded bytes, in arrival order.
///
/// Ends when the client half-closes; throws if the call fails (reset, deadline, a message
/// over the size limit).
public struct RPCRequestStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let base: AsyncThrowingStream<[UInt8], any Error>

    public init(_ base: AsyncThrowingStream<[UInt8], any Error>) {
        self.base = base
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<[UInt8], any Error>.AsyncIterator {
        base.makeAsyncIterator()
    }

    /// The single message of a unary or server-streaming request.
    public func single() async throws -> [UInt8] {
        var iterator = makeAsyncIterator()
        guard let message = try await iterator.next() else {
            throw RPCError(code: .internal, message: "the request has no message")
        }
        guard try await iterator.next() == nil else {
            throw RPCError(code: .internal, message: "the request has more than one message")
        }
        return message
    }
}

/// Sends the response messages of a call. `write` suspends while the peer is not reading
/// (flow control), so a fast handler cannot outrun a slow client.
public struct RPCResponseWriter: Sendable {
    private let sendMessage: @Sendable ([UInt8]) async throws -> Void
    private let sendMetadata: @Sendable (Metadata) async throws -> Void

    public init(
        sendMessage: @escaping @Sendable ([UInt8]) async throws -> Void,
        sendMetadata: @escaping @Sendable (Metadata) async throws -> Void
    ) {
        self.sendMessage = sendMessage
        self.sendMetadata = sendMetadata
    }

    public func write(_ message: [UInt8]) async throws {
        try await sendMessage(message)
    }

    /// Sends response headers now, with `metadata`; otherwise they go with the first message.
    public func writeInitialMetadata(_ metadata: Metadata) async throws {
        try await sendMetadata(metadata)
    }
}

/// One method a server serves: its descriptor and a handler over encoded messages.
///
/// The handler returns the trailing metadata; throwing an ``RPCError`` (or an
/// ``RPCErrorConvertible``) sets the status, any other error becomes `UNKNOWN`.
public struct RPCServerMethod: Sendable {
    public typealias Handler = @Sendable (RPCRequestStream, RPCResponseWriter, ServerContext) async throws -> Metadata

    public let descriptor: MethodDescriptor
    public let handler: Handler

    public init(descriptor: MethodDescriptor, handler: @escaping Handler) {
        self.descriptor = descriptor
        self.handler = handler
    }
}

/// Maps `:path` to methods.
public struct RPCRouter: Sendable {
    public private(set) var methods: [String: RPCServerMethod] = [:]

    public init(_ methods: [RPCServerMethod] = []) {
        for method in methods { add(method) }
    }

    public mutating func add(_ method: RPCServerMethod) {
        methods[method.descriptor.path] = method
    }

    public subscript(path: String) -> RPCServerMethod? { methods[path] }

    /// The services with at least one method registered.
    public var serviceNames: Set<String> { Set(methods.values.map(\.descriptor.service)) }
}
