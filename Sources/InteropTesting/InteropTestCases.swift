import ProtoRPC
import ProtoRuntime
import RPCCore

/// The client side of the gRPC interop tests (grpc's doc/interop-test-descriptions.md):
/// each case calls a TestService and throws ``InteropTestFailure`` on any deviation.
public struct InteropTestCases: Sendable {
    let service: Grpc_Testing_TestServiceClient
    let unimplemented: Grpc_Testing_UnimplementedServiceClient

    public init(transport: any RPCClientTransport) {
        service = Grpc_Testing_TestServiceClient(transport: transport)
        unimplemented = Grpc_Testing_UnimplementedServiceClient(transport: transport)
    }

    public static let names = [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
        "unimplemented_service", "timeout_on_sleeping_server", "cancel_after_begin", "cancel_after_first_response",
        "client_compressed_unary", "server_compressed_unary", "client_compressed_streaming", "server_compressed_streaming",
    ]

    public func run(_ name: String) async throws {
        switch name {
        case "empty_unary": try await emptyUnary()
        case "large_unary": try await largeUnary()
        case "client_streaming": try await clientStreaming()
        case "server_streaming": try await serverStreaming()
        case "ping_pong": try await pingPong()
        case "empty_stream": try await emptyStream()
        case "custom_metadata": try await customMetadata()
        case "status_code_and_message": try await statusCodeAndMessage("test status message")
        case "special_status_message": try await statusCodeAndMessage("\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")
        case "unimplemented_method": try await expectStatus(.unimplemented) { _ = try await service.unimplementedMethod(Grpc_Testing_Empty()) }
        case "unimplemented_service": try await expectStatus(.unimplemented) { _ = try await unimplemented.unimplementedCall(Grpc_Testing_Empty()) }
        case "timeout_on_sleeping_server": try await timeoutOnSleepingServer()
        case "cancel_after_begin": try await cancelAfterBegin()
        case "cancel_after_first_response": try await cancelAfterFirstResponse()
        case "client_compressed_unary": try await clientCompressedUnary()
        case "server_compressed_unary": try await serverCompressedUnary()
        case "client_compressed_streaming": try await clientCompressedStreaming()
        case "server_compressed_streaming": try await serverCompressedStreaming()
        default: throw InteropTestFailure("unknown test case \(name)")
        }
    }

    // MARK: Cases

    func emptyUnary() async throws {
        let response = try await service.emptyCall(Grpc_Testing_Empty())
        try check(response == Grpc_Testing_Empty(), "EmptyCall returned a non-empty message")
    }

    func largeUnary(compressed: Bool = false, responseCompressed: Bool = false) async throws {
        var request = simpleRequest(responseSize: 314_159, payloadSize: 271_828)
        if responseCompressed { request.responseCompressed = boolValue(true) }
        let response = try await service.unaryCall(request, options: RPCCallOptions(compressRequests: compressed))
        try check(response.payload?.body == [UInt8](repeating: 0, count: 314_159), "the response payload is not 314159 zero bytes")
    }

    func clientStreaming() async throws {
        let call = try await service.streamingInputCall()
        for size in [27_182, 8, 1_828, 45_904] {
            var request = Grpc_Testing_StreamingInputCallRequest()
            request.payload = InteropTestService.payload(size: size)
            try await call.send(request)
        }
        await call.finish()
        let response = try await call.response()
        try check(response.aggregatedPayloadSize == 74_922, "aggregated size \(response.aggregatedPayloadSize), expected 74922")
    }

    func serverStreaming(compressed: [Bool]? = nil) async throws {
        let sizes = compressed == nil ? [31_415, 9, 2_653, 58_979] : [31_415, 92_653]
        var request = Grpc_Testing_StreamingOutputCallRequest()
        request.responseParameters = sizes.enumerated().map { index, size in
            var parameter = Grpc_Testing_ResponseParameters()
            parameter.size = Int32(size)
            if let compressed { parameter.compressed = boolValue(compressed[index]) }
            return parameter
        }
        var received: [Int] = []
        for try await response in try await service.streamingOutputCall(request) {
            received.append(response.payload?.body.count ?? 0)
        }
        try check(received == sizes, "response sizes \(received), expected \(sizes)")
    }

    func pingPong() async throws {
        let call = try await service.fullDuplexCall()
        var responses = call.responses.makeAsyncIterator()
        for (requestSize, responseSize) in zip([27_182, 8, 1_828, 45_904], [31_415, 9, 2_653, 58_979]) {
            try await call.send(streamingRequest(responseSize: responseSize, payloadSize: requestSize))
            let response = try await responses.next()
            try check(response?.payload?.body.count == responseSize, "expected a response of \(responseSize) bytes")
        }
        await call.finish()
        let end = try await responses.next()
        try check(end == nil, "a response after the last request")
    }

    func emptyStream() async throws {
        let call = try await service.fullDuplexCall()
        await call.finish()
        var count = 0
        for try await _ in call.responses { count += 1 }
        try check(count == 0, "\(count) responses to an empty stream")
    }

    func customMetadata() async throws {
        var metadata: Metadata = ["x-grpc-test-echo-initial": "test_initial_metadata_value"]
        metadata.add("x-grpc-test-echo-trailing-bin", binary: [0xAB, 0xAB, 0xAB])
        // Unary.
        let unary = try await service.transport.makeCall(method: Grpc_Testing_TestService.Method.UnaryCall.descriptor, metadata: metadata, timeout: nil)
        try await unary.send(simpleRequest(responseSize: 314_159, payloadSize: 271_828).serializedBytes())
        await unary.finish()
        for try await _ in unary.responses {}
        try await checkEchoedMetadata(initial: unary.initialMetadata(), trailers: unary.trailers().1)
        // Full duplex.
        let duplex = try await service.fullDuplexCall(metadata: metadata)
        try await duplex.send(streamingRequest(responseSize: 314_159, payloadSize: 271_828))
        await duplex.finish()
        for try await _ in duplex.responses {}
        try await checkEchoedMetadata(initial: duplex.responses.initialMetadata(), trailers: duplex.responses.trailers().1)
    }

    func statusCodeAndMessage(_ message: String) async throws {
        var status = Grpc_Testing_EchoStatus()
        status.code = 2
        status.message = message
        var request = Grpc_Testing_SimpleRequest()
        request.responseStatus = status
        try await expectStatus(.unknown, message: message) { _ = try await service.unaryCall(request) }
        var streaming = Grpc_Testing_StreamingOutputCallRequest()
        streaming.responseStatus = status
        try await expectStatus(.unknown, message: message) {
            let call = try await service.fullDuplexCall()
            try await call.send(streaming)
            await call.finish()
            for try await _ in call.responses {}
        }
    }

    func timeoutOnSleepingServer() async throws {
        try await expectStatus(.deadlineExceeded) {
            let call = try await service.fullDuplexCall(options: RPCCallOptions(timeout: .milliseconds(1)))
            try? await call.send(streamingRequest(responseSize: 0, payloadSize: 27_182))
            for try await _ in call.responses {}
        }
    }

    func cancelAfterBegin() async throws {
        let call = try await service.streamingInputCall()
        call.cancel()
        try await expectStatus(.cancelled) { _ = try await call.response() }
    }

    func cancelAfterFirstResponse() async throws {
        let call = try await service.fullDuplexCall()
        var responses = call.responses.makeAsyncIterator()
        try await call.send(streamingRequest(responseSize: 31_415, payloadSize: 27_182))
        _ = try await responses.next()
        call.cancel()
        try await expectStatus(.cancelled) { while try await responses.next() != nil {} }
    }

    func clientCompressedUnary() async throws {
        // The probe: a request that claims compression but is not compressed must be refused.
        var probe = simpleRequest(responseSize: 314_159, payloadSize: 271_828)
        probe.expectCompressed = boolValue(true)
        try await expectStatus(.invalidArgument) { _ = try await service.unaryCall(probe) }
        let compressed = try await service.unaryCall(probe, options: RPCCallOptions(compressRequests: true))
        try check(compressed.payload?.body.count == 314_159, "wrong payload size for the compressed request")
        var plain = probe
        plain.expectCompressed = boolValue(false)
        let uncompressed = try await service.unaryCall(plain)
        try check(uncompressed.payload?.body.count == 314_159, "wrong payload size for the uncompressed request")
    }

    func serverCompressedUnary() async throws {
        try await largeUnary(responseCompressed: true)
        try await largeUnary(responseCompressed: false)
    }

    func clientCompressedStreaming() async throws {
        try await expectStatus(.invalidArgument) {
            let probe = try await service.streamingInputCall(options: RPCCallOptions(compressRequests: true))
            var request = Grpc_Testing_StreamingInputCallRequest()
            request.expectCompressed = boolValue(true)
            request.payload = InteropTestService.payload(size: 27_182)
            try await probe.send(request, compress: false)
            _ = try await probe.response()
        }
        let call = try await service.streamingInputCall(options: RPCCallOptions(compressRequests: true))
        for (size, compress) in [(27_182, true), (45_904, false)] {
            var request = Grpc_Testing_StreamingInputCallRequest()
            request.expectCompressed = boolValue(compress)
            request.payload = InteropTestService.payload(size: size)
            try await call.send(request, compress: compress)
        }
        await call.finish()
        let response = try await call.response()
        try check(response.aggregatedPayloadSize == 73_086, "aggregated size \(response.aggregatedPayloadSize), expected 73086")
    }

    func serverCompressedStreaming() async throws {
        try await serverStreaming(compressed: [true, false])
    }

    // MARK: Helpers

    private func simpleRequest(responseSize: Int, payloadSize: Int) -> Grpc_Testing_SimpleRequest {
        var request = Grpc_Testing_SimpleRequest()
        request.responseSize = Int32(responseSize)
        request.payload = InteropTestService.payload(size: payloadSize)
        return request
    }

    private func streamingRequest(responseSize: Int, payloadSize: Int) -> Grpc_Testing_StreamingOutputCallRequest {
        var parameter = Grpc_Testing_ResponseParameters()
        parameter.size = Int32(responseSize)
        var request = Grpc_Testing_StreamingOutputCallRequest()
        request.responseParameters = [parameter]
        request.payload = InteropTestService.payload(size: payloadSize)
        return request
    }

    private func boolValue(_ value: Bool) -> Grpc_Testing_BoolValue {
        var wrapper = Grpc_Testing_BoolValue()
        wrapper.value = value
        return wrapper
    }

    private func checkEchoedMetadata(initial: Metadata, trailers: Metadata) throws {
        try check(initial.first("x-grpc-test-echo-initial") == "test_initial_metadata_value", "initial metadata not echoed: \(initial)")
        try check(trailers.binaryValues("x-grpc-test-echo-trailing-bin") == [[0xAB, 0xAB, 0xAB]], "trailing metadata not echoed: \(trailers)")
    }

    private func expectStatus(_ code: Status.Code, message: String? = nil, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as RPCError {
            try check(error.code == code, "status \(error.code) (\(error.message)), expected \(code)")
            if let message { try check(error.message == message, "message \(error.message.debugDescription), expected \(message.debugDescription)") }
            return
        }
        throw InteropTestFailure("the call succeeded; expected \(code)")
    }

    private func check(_ condition: Bool, _ failure: @autoclosure () -> String) throws {
        if !condition { throw InteropTestFailure(failure()) }
    }
}

/// Why an interop case failed.
public struct InteropTestFailure: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
