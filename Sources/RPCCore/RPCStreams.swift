/// The request messages of a call, as encoded bytes, in arrival order.
///
/// Ends when the client half-closes; throws if the call fails (reset, deadline, a message
/// over the size limit).
public struct RPCRequestStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let source: RPCRequestSource

    public init(_ source: RPCRequestSource) {
        self.source = source
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let source: RPCRequestSource

        public mutating func next() async throws -> [UInt8]? {
            try await source.next()?.bytes
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source)
    }

    /// The messages with their compressed flags, for handlers that must check them.
    public var received: ReceivedMessages { ReceivedMessages(source: source) }

    /// The single message of a unary or server-streaming request.
    public func single() async throws -> RPCReceivedMessage {
        guard let message = try await source.next() else {
            throw RPCError(code: .internal, message: "the request has no message")
        }
        guard try await source.next() == nil else {
            throw RPCError(code: .internal, message: "the request has more than one message")
        }
        return message
    }

    /// The request messages as they arrived, with their compressed flags.
    public struct ReceivedMessages: AsyncSequence, Sendable {
        public typealias Element = RPCReceivedMessage
        let source: RPCRequestSource

        public struct AsyncIterator: AsyncIteratorProtocol {
            let source: RPCRequestSource

            public mutating func next() async throws -> RPCReceivedMessage? {
                try await source.next()
            }
        }

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(source: source)
        }
    }
}

/// One message as it arrived: its (decompressed) bytes and whether it was compressed.
public struct RPCReceivedMessage: Sendable {
    public var bytes: [UInt8]
    public var compressed: Bool

    public init(bytes: [UInt8], compressed: Bool) {
        self.bytes = bytes
        self.compressed = compressed
    }
}

/// Sends the response messages of a call. `write` suspends while the peer is not reading
/// (flow control), so a fast handler cannot outrun a slow client.
public struct RPCResponseWriter: Sendable {
    private let sendMessage: @Sendable ([UInt8], Bool?) async throws -> Void
    private let sendMetadata: @Sendable (Metadata) async throws -> Void

    /// - Parameter sendMessage: sends a message; the flag asks for compression (nil: the
    ///   call's default), which happens only if the client accepts it.
    public init(
        sendMessage: @escaping @Sendable ([UInt8], Bool?) async throws -> Void,
        sendMetadata: @escaping @Sendable (Metadata) async throws -> Void
    ) {
        self.sendMessage = sendMessage
        self.sendMetadata = sendMetadata
    }

    public func write(_ message: [UInt8], compress: Bool? = nil) async throws {
        try await sendMessage(message, compress)
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
    /// A unary handler over the request's one message that returns the response's bytes; its
    /// initial and trailing metadata are the context's. Whoever runs it sets the context's
    /// `requestWasCompressed` from the message, and adds the context's trailers to the
    /// errors it throws (as `handler` does).
    public typealias UnaryHandler = @Sendable (RPCReceivedMessage, ServerContext) async throws -> [UInt8]

    public let descriptor: MethodDescriptor
    public let handler: Handler
    /// Set for unary methods built from a ``UnaryHandler``: a transport that holds the whole
    /// request may call it directly, without a request stream or a response writer.
    public let unary: UnaryHandler?

    public init(descriptor: MethodDescriptor, handler: @escaping Handler) {
        self.descriptor = descriptor
        self.handler = handler
        self.unary = nil
    }

    /// A unary method; `handler` runs `unary` over the request stream and response writer.
    public init(descriptor: MethodDescriptor, unary: @escaping UnaryHandler) {
        self.descriptor = descriptor
        self.unary = unary
        self.handler = { requests, writer, context in
            do {
                let message = try await requests.single()
                context.requestWasCompressed = message.compressed
                let response = try await unary(message, context)
                let initialMetadata = context.initialMetadata
                if !initialMetadata.isEmpty { try await writer.writeInitialMetadata(initialMetadata) }
                try await writer.write(response)
                return context.trailingMetadata
            } catch var error as RPCError {
                error.metadata = context.trailingMetadata.merging(error.metadata)
                throw error
            }
        }
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
