import ProtoRPC
import RPCCore

/// The server side of the gRPC interop tests (grpc's doc/interop-test-descriptions.md).
public struct InteropTestService: Grpc_Testing_TestServiceProvider {
    /// Metadata keys the interop clients expect echoed back.
    static let echoInitialKey = "x-grpc-test-echo-initial"
    static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"

    public init() {}

    public func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        Grpc_Testing_Empty()
    }

    public func unaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        for value in context.metadata[Self.echoInitialKey] { context.addInitialMetadata(Self.echoInitialKey, value) }
        try echoTrailingMetadata(context)
        if request.expectCompressed?.value == true && !context.requestWasCompressed {
            throw RPCError(code: .invalidArgument, message: "expected a compressed request")
        }
        try throwRequestedStatus(request.responseStatus)
        context.compressesResponses = request.responseCompressed?.value == true
        var response = Grpc_Testing_SimpleResponse()
        response.payload = Self.payload(size: Int(request.responseSize))
        return response
    }

    public func streamingOutputCall(
        request: Grpc_Testing_StreamingOutputCallRequest,
        response: MessageWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        try echoTrailingMetadata(context)
        try await send(request.responseParameters, to: response)
        try throwRequestedStatus(request.responseStatus)
    }

    public func streamingInputCall(
        requests: MessageStream<Grpc_Testing_StreamingInputCallRequest>,
        context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        var total = 0
        for try await (request, compressed) in requests.withCompressionFlags {
            // Answer at once: the interop probe sends one such message and never half-closes.
            if request.expectCompressed?.value == true && !compressed {
                throw RPCError(code: .invalidArgument, message: "expected a compressed request")
            }
            total += request.payload?.body.count ?? 0
        }
        var response = Grpc_Testing_StreamingInputCallResponse()
        response.aggregatedPayloadSize = Int32(total)
        return response
    }

    public func fullDuplexCall(
        requests: MessageStream<Grpc_Testing_StreamingOutputCallRequest>,
        response: MessageWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        try await echoInitialMetadata(context, response)
        try echoTrailingMetadata(context)
        for try await request in requests {
            try throwRequestedStatus(request.responseStatus)
            try await send(request.responseParameters, to: response)
        }
    }

    public func halfDuplexCall(
        requests: MessageStream<Grpc_Testing_StreamingOutputCallRequest>,
        response: MessageWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        var buffered: [Grpc_Testing_StreamingOutputCallRequest] = []
        for try await request in requests { buffered.append(request) }
        for request in buffered { try await send(request.responseParameters, to: response) }
    }

    public func unimplementedMethod(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(code: .unimplemented, message: "UnimplementedMethod is not implemented, on purpose")
    }

    // MARK: Helpers

    static func payload(size: Int) -> Grpc_Testing_Payload {
        var payload = Grpc_Testing_Payload()
        payload.body = [UInt8](repeating: 0, count: max(0, size))
        return payload
    }

    private func send(
        _ parameters: [Grpc_Testing_ResponseParameters],
        to response: MessageWriter<Grpc_Testing_StreamingOutputCallResponse>
    ) async throws {
        for parameter in parameters {
            if parameter.intervalUs > 0 {
                try await Task.sleep(for: .microseconds(Int(parameter.intervalUs)))
            }
            var message = Grpc_Testing_StreamingOutputCallResponse()
            message.payload = Self.payload(size: Int(parameter.size))
            try await response.write(message, compress: parameter.compressed?.value == true)
        }
    }

    private func throwRequestedStatus(_ status: Grpc_Testing_EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        throw RPCError(code: Status.Code(wireValue: Int(status.code)), message: status.message)
    }

    private func echoInitialMetadata<M>(_ context: ServerContext, _ response: MessageWriter<M>) async throws {
        let values = context.metadata[Self.echoInitialKey]
        guard !values.isEmpty else { return }
        var initial = Metadata()
        for value in values { initial.add(Self.echoInitialKey, value) }
        try await response.writeInitialMetadata(initial)
    }

    private func echoTrailingMetadata(_ context: ServerContext) throws {
        for value in context.metadata.binaryValues(Self.echoTrailingKey) {
            context.addTrailingMetadata(Self.echoTrailingKey, binary: value)
        }
    }
}
