import ProtoRuntime
import RPCCore

/// Adapts typed handlers to the transport's byte-level ``RPCServerMethod``; generated
/// service providers build their method lists with these.
public enum ServerMethods {
    public static func unary<Input: ProtoMessage, Output: ProtoMessage>(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (Input, ServerContext) async throws -> Output
    ) -> RPCServerMethod {
        // The transport (or `RPCServerMethod.handler`) sets `requestWasCompressed`, sends the
        // context's initial metadata and adds its trailers, also to an RPCError thrown here.
        RPCServerMethod(descriptor: descriptor, unary: { message, context in
            try await handler(Input(decodingRPC: message.bytes), context).serializedBytes()
        })
    }

    public static func serverStreaming<Input: ProtoMessage, Output: ProtoMessage>(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (Input, MessageWriter<Output>, ServerContext) async throws -> Void
    ) -> RPCServerMethod {
        RPCServerMethod(descriptor: descriptor) { requests, writer, context in
            let (request, _) = try await MessageStream<Input>(requests).single()
            try await handler(request, MessageWriter(writer), context)
            return context.trailingMetadata
        }
    }

    public static func clientStreaming<Input: ProtoMessage, Output: ProtoMessage>(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (MessageStream<Input>, ServerContext) async throws -> Output
    ) -> RPCServerMethod {
        RPCServerMethod(descriptor: descriptor) { requests, writer, context in
            let response = try await handler(MessageStream(requests), context)
            try await writer.write(response.serializedBytes())
            return context.trailingMetadata
        }
    }

    public static func bidirectionalStreaming<Input: ProtoMessage, Output: ProtoMessage>(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (MessageStream<Input>, MessageWriter<Output>, ServerContext) async throws -> Void
    ) -> RPCServerMethod {
        RPCServerMethod(descriptor: descriptor) { requests, writer, context in
            try await handler(MessageStream(requests), MessageWriter(writer), context)
            return context.trailingMetadata
        }
    }
}
