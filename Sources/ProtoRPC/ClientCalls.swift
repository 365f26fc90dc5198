import ProtoRuntime
import RPCCore

/// Response messages of a call, decoded as `Message`; throws ``RPCError`` for a non-OK status.
public struct ResponseStream<Message: ProtoMessage>: AsyncSequence, Sendable {
    public typealias Element = Message
    let call: RPCClientCall

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator

        public mutating func next() async throws -> Message? {
            guard let bytes = try await base.next(isolation: #isolation) else { return nil }
            return try Message(decodingRPC: bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: call.responses.makeAsyncIterator())
    }

    public func initialMetadata() async throws -> Metadata { try await call.initialMetadata() }

    /// The final status and trailers, once the stream has ended.
    public func trailers() async -> (Status, Metadata) { await call.trailers() }

    public func cancel() { call.cancel() }
}

/// A call whose client sends a stream of messages (client or bidirectional streaming).
public struct StreamingCall<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    let call: RPCClientCall

    /// Sends a request; suspends while the server is not reading.
    public func send(_ request: Request, compress: Bool? = nil) async throws {
        try await call.send(request.serializedBytes(), compress: compress)
    }

    /// Ends the request stream.
    public func finish() async { await call.finish() }

    public func cancel() { call.cancel() }

    public var responses: ResponseStream<Response> { ResponseStream(call: call) }

    /// The one response of a client-streaming call (call after `finish`).
    public func response() async throws -> Response { try await ClientCalls.single(call) }
}

/// The four call shapes over any ``RPCClientTransport``; generated clients call these.
public enum ClientCalls {
    public static func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ transport: any RPCClientTransport, _ method: MethodDescriptor, _ request: Request,
        metadata: Metadata, options: RPCCallOptions
    ) async throws -> Response {
        let call = try await transport.makeCall(method: method, metadata: metadata, options: options)
        try await call.send(request.serializedBytes())
        await call.finish()
        return try await single(call)
    }

    public static func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ transport: any RPCClientTransport, _ method: MethodDescriptor, _ request: Request,
        metadata: Metadata, options: RPCCallOptions
    ) async throws -> ResponseStream<Response> {
        let call = try await transport.makeCall(method: method, metadata: metadata, options: options)
        try await call.send(request.serializedBytes())
        await call.finish()
        return ResponseStream(call: call)
    }

    public static func streaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ transport: any RPCClientTransport, _ method: MethodDescriptor,
        metadata: Metadata, options: RPCCallOptions
    ) async throws -> StreamingCall<Request, Response> {
        StreamingCall(call: try await transport.makeCall(method: method, metadata: metadata, options: options))
    }

    /// Exactly one response message, then an OK status.
    static func single<Response: ProtoMessage>(_ call: RPCClientCall) async throws -> Response {
        var response: Response?
        for try await bytes in call.responses {
            guard response == nil else {
                call.cancel()
                throw RPCError(code: .internal, message: "the server sent more than one response to a unary call")
            }
            response = try Response(decodingRPC: bytes)
        }
        guard let response else {
            throw RPCError(code: .internal, message: "the server ended a unary call without a response")
        }
        return response
    }
}
