/// Opens calls to a server. Generated client stubs depend on this protocol only, never on
/// HTTP/2; the HTTP/2 transport is one implementation.
public protocol RPCClientTransport: Sendable {
    /// Starts a call: request headers go out at once; messages follow through the call.
    ///
    /// - Throws: `RPCError(.unavailable)` when no connection can be made.
    func makeCall(method: MethodDescriptor, metadata: Metadata, options: RPCCallOptions) async throws -> RPCClientCall
}

extension RPCClientTransport {
    public func makeCall(method: MethodDescriptor, metadata: Metadata, timeout: Duration?) async throws -> RPCClientCall {
        try await makeCall(method: method, metadata: metadata, options: RPCCallOptions(timeout: timeout))
    }
}

/// Per-call settings of a client.
public struct RPCCallOptions: Sendable {
    /// How long the call may take; sent as `grpc-timeout` and enforced locally.
    public var timeout: Duration?
    /// Compress request messages with gzip (`grpc-encoding: gzip`).
    public var compressRequests: Bool

    public init(timeout: Duration? = nil, compressRequests: Bool = false) {
        self.timeout = timeout
        self.compressRequests = compressRequests
    }
}

/// One call in progress, as seen by a client: a request side and a response side.
public struct RPCClientCall: Sendable {
    private let sendMessage: @Sendable ([UInt8], Bool?) async throws -> Void
    private let closeRequests: @Sendable () async -> Void
    private let cancelCall: @Sendable () -> Void
    private let waitForHeaders: @Sendable () async throws -> Metadata
    private let waitForTrailers: @Sendable () async -> (Status, Metadata)

    /// The response messages, in order. Ends after an OK status; throws ``RPCError`` for any
    /// other status.
    public let responses: AsyncThrowingStream<[UInt8], any Error>

    public init(
        send: @escaping @Sendable ([UInt8], Bool?) async throws -> Void,
        finish: @escaping @Sendable () async -> Void,
        cancel: @escaping @Sendable () -> Void,
        initialMetadata: @escaping @Sendable () async throws -> Metadata,
        trailers: @escaping @Sendable () async -> (Status, Metadata),
        responses: AsyncThrowingStream<[UInt8], any Error>
    ) {
        self.sendMessage = send
        self.closeRequests = finish
        self.cancelCall = cancel
        self.waitForHeaders = initialMetadata
        self.waitForTrailers = trailers
        self.responses = responses
    }

    /// Sends one request message; suspends while the server is not reading. `compress`
    /// overrides the call's `compressRequests` for this message.
    public func send(_ message: [UInt8], compress: Bool? = nil) async throws { try await sendMessage(message, compress) }

    /// Half-closes: the server sees the end of the request messages.
    public func finish() async { await closeRequests() }

    /// Resets the stream; the server sees CANCELLED.
    public func cancel() { cancelCall() }

    /// The response headers, once they arrive.
    public func initialMetadata() async throws -> Metadata { try await waitForHeaders() }

    /// The final status and trailing metadata, once the call has ended.
    public func trailers() async -> (Status, Metadata) { await waitForTrailers() }
}
