import ProtoRuntime
import RPCCore

/// The request messages of a call, decoded as `Message`.
///
/// A message that does not decode ends the call with INTERNAL, as gRPC servers do.
public struct MessageStream<Message: ProtoMessage>: AsyncSequence, Sendable {
    public typealias Element = Message
    private let raw: RPCRequestStream

    public init(_ raw: RPCRequestStream) {
        self.raw = raw
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator

        public mutating func next() async throws -> Message? {
            guard let bytes = try await base.next() else { return nil }
            return try Message(decodingRPC: bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: raw.makeAsyncIterator())
    }

    /// The single message of a unary or server-streaming request.
    public func single() async throws -> Message {
        try Message(decodingRPC: try await raw.single())
    }
}

/// Sends response messages of type `Message`.
public struct MessageWriter<Message: ProtoMessage>: Sendable {
    private let raw: RPCResponseWriter

    public init(_ raw: RPCResponseWriter) {
        self.raw = raw
    }

    /// Sends one message; suspends while the client is not reading.
    public func write(_ message: Message) async throws {
        try await raw.write(message.serializedBytes())
    }

    public func writeInitialMetadata(_ metadata: Metadata) async throws {
        try await raw.writeInitialMetadata(metadata)
    }
}

extension ProtoMessage {
    /// Decodes a message received in a call; a malformed one is an INTERNAL error.
    public init(decodingRPC bytes: [UInt8]) throws {
        do {
            self = try Self(serializedBytes: bytes)
        } catch {
            throw RPCError(code: .internal, message: "could not decode \(Self.protoMessageName): \(error)", cause: error)
        }
    }
}
