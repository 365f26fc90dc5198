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
        var base: RPCRequestStream.AsyncIterator

        public mutating func next() async throws -> Message? {
            guard let bytes = try await base.next() else { return nil }
            return try Message(decodingRPC: bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: raw.makeAsyncIterator())
    }

    /// The single message of a unary or server-streaming request, and whether it arrived compressed.
    public func single() async throws -> (message: Message, compressed: Bool) {
        let received = try await raw.single()
        return (try Message(decodingRPC: received.bytes), received.compressed)
    }

    /// The messages with their compressed flags.
    public var withCompressionFlags: AsyncThrowingMapSequence<RPCRequestStream.ReceivedMessages, (Message, Bool)> {
        raw.received.map { (try Message(decodingRPC: $0.bytes), $0.compressed) }
    }
}

/// Sends response messages of type `Message`.
public struct MessageWriter<Message: ProtoMessage>: Sendable {
    private let raw: RPCResponseWriter

    public init(_ raw: RPCResponseWriter) {
        self.raw = raw
    }

    /// Sends one message; suspends while the client is not reading. `compress` overrides
    /// the call's default (compression happens only if the client accepts gzip).
    public func write(_ message: Message, compress: Bool? = nil) async throws {
        try await raw.write(message.serializedBytes(), compress: compress)
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
