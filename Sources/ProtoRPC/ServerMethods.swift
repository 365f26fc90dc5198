import ProtoRuntime
import RPCCore

/// Adapts typed handlers to the transport's byte-level ``RPCServerMethod``; generated
/// service providers build their method lists with these.
public enum ServerMethods {
    public static func unary<Input: ProtoMessage, Output: ProtoMessage>(
        _ descriptor: MethodDescriptor,
        _ handler: @escaping @Sendable (Input, ServerContext) async throws -> Output
    ) -> RPCServerMethod {
        RPCServerMethod(descriptor: descriptor) { requests, writer, context in
            try await withContextMetadata(context) {
                let (request, compressed) = try await MessageStream<Input>(requests).single()
                context.requestWasCompressed = compressed
                let response = try await handler(request, context)
                if !context.initialMetadata.isEmpty { try await writer.writeInitialMetadata(context.initialMetadata) }
                try await writer.write(response.serializedBytes())
            }
        }
    }

    /// Runs a typed handler; trailers it added go out with success and with errors alike.
    static func withContextMetadata(_ context: ServerContext, _ body: () async throws -> Void) async throws -> Metadata {
        do {
            try await body()
            return context.trailingMetadata
        } catch let error as RPCError {
            var error = error
            error.metadata = context.trailingMetadata.merging(error.metadata)
            throw error
        }
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
