import NIOCore
import RPCCore

// The life of one call: validate the request headers, run the handler on the loop, send
// its messages, and end with trailers (or a trailers-only response for early errors).

extension GRPCServerConnectionHandler {
    func startCall(_ stream: ServerStream) {
        guard stream.header(":method") == "POST" else {
            respondWithHTTPError(stream, status: 405)
            return
        }
        guard let contentType = stream.header("content-type"), contentType.hasPrefix("application/grpc") else {
            respondWithHTTPError(stream, status: 415)
            return
        }
        let path = stream.header(":path") ?? ""
        guard let method = router[path] else {
            let message = router.serviceNames.contains(serviceName(of: path)) ? "unknown method \(path)" : "unknown service \(serviceName(of: path))"
            respondTrailersOnly(stream, status: Status(code: .unimplemented, message: message))
            return
        }
        switch stream.header("grpc-encoding") {
        case nil, "identity": break
        case "gzip": stream.requestIsGzip = true
        case let encoding?:
            respondTrailersOnly(stream, status: Status(code: .unimplemented, message: "grpc-encoding \(encoding) is not supported"),
                                extra: [("grpc-accept-encoding", Self.acceptedEncodings)])
            return
        }
        stream.clientAcceptsGzip = stream.header("grpc-accept-encoding")?.split(separator: ",").contains { $0.filter { $0 != " " } == "gzip" } ?? false
        var deadline: ContinuousClock.Instant?
        if let timeoutText = stream.header("grpc-timeout") {
            guard let timeout = GRPCTimeout(headerValue: timeoutText) else {
                respondTrailersOnly(stream, status: Status(code: .internal, message: "malformed grpc-timeout \"\(timeoutText)\""))
                return
            }
            deadline = ContinuousClock.now.advanced(by: timeout.duration)
        }
        let callContext = ServerContext(method: method.descriptor, metadata: HeaderCoding.metadata(from: stream.requestHeaders), deadline: deadline, peer: peer)

        let (requests, continuation) = AsyncThrowingStream<RPCReceivedMessage, any Error>.makeStream()
        stream.requests = continuation
        let loop = context!.eventLoop
        let bound = NIOLoopBound(CallBinding(connection: self, stream: stream), eventLoop: loop)
        let writer = RPCResponseWriter(
            sendMessage: { message, compress in
                let shouldCompress = compress ?? callContext.compressesResponses
                try await bound.onLoop { try await $0.send(message, compress: shouldCompress) }
            },
            sendMetadata: { metadata in try await bound.onLoop { try $0.sendInitialMetadata(metadata) } }
        )
        stream.handlerTask = Self.startHandler(method.handler, requests: RPCRequestStream(requests), writer: writer,
                                               context: callContext, binding: bound, executor: executor!)
        if let timeoutText = stream.header("grpc-timeout"), let timeout = GRPCTimeout(headerValue: timeoutText) {
            // At the deadline: answer DEADLINE_EXCEEDED now and cancel the handler.
            stream.deadlineTimer = loop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                let binding = bound.value
                binding.finish((Status(code: .deadlineExceeded, message: "the deadline was exceeded"), [:]))
                binding.stream.handlerTask?.cancel()
            }
        }
    }

    private static func startHandler(
        _ handler: @escaping RPCServerMethod.Handler,
        requests: RPCRequestStream,
        writer: RPCResponseWriter,
        context: ServerContext,
        binding: NIOLoopBound<CallBinding>,
        executor: EventLoopTaskExecutor
    ) -> Task<Void, Never> {
        Task(executorPreference: executor) {
            let outcome = await run(handler, requests: requests, writer: writer, context: context)
            await binding.onLoop { $0.finish(outcome) }
        }
    }

    /// Runs a handler; returns the status and trailing metadata. Deadlines are enforced by an
    /// event-loop timer (see `startCall`), not here: a task group per call cost more than the
    /// rest of a unary call.
    static func run(
        _ handler: @escaping RPCServerMethod.Handler,
        requests: RPCRequestStream,
        writer: RPCResponseWriter,
        context: ServerContext
    ) async -> (Status, Metadata) {
        do {
            let trailers = try await handler(requests, writer, context)
            return (.ok, trailers)
        } catch let error as RPCError {
            return (error.status, error.metadata)
        } catch let error as any RPCErrorConvertible {
            return (error.rpcError.status, error.rpcError.metadata)
        } catch is CancellationError {
            return (Status(code: .cancelled, message: "the call was cancelled"), [:])
        } catch {
            return (Status(code: .unknown, message: "\(error)"), [:])
        }
    }

    static let acceptedEncodings = "gzip,identity"

    /// Response headers for a call that will have a body.
    func responseHeaders(_ metadata: Metadata, gzip: Bool) -> [(String, String)] {
        var headers = [(":status", "200"), ("content-type", "application/grpc"), ("grpc-accept-encoding", Self.acceptedEncodings)]
        if gzip { headers.append(("grpc-encoding", "gzip")) }
        return headers + HeaderCoding.headers(from: metadata)
    }

    func respondTrailersOnly(_ stream: ServerStream, status: Status, metadata: Metadata = [:], extra: [(String, String)] = []) {
        stream.responseHeadersSent = true
        var headers: [(String, String)] = [(":status", "200"), ("content-type", "application/grpc")] + extra
        headers += HeaderCoding.statusHeaders(status) + HeaderCoding.headers(from: metadata)
        _ = session?.submitResponse(streamID: stream.id, headers: headers, hasBody: false)
        scheduleFlush()
    }

    func respondWithHTTPError(_ stream: ServerStream, status: Int) {
        stream.responseHeadersSent = true
        _ = session?.submitResponse(streamID: stream.id, headers: [(":status", String(status))], hasBody: false)
        scheduleFlush()
    }

    /// Ends a call early from the transport side (a message too large, a connection lost).
    func failCall(_ stream: ServerStream, error: RPCError) {
        stream.requests?.finish(throwing: error)
        stream.requests = nil
        stream.handlerTask?.cancel()
        guard !stream.isClosed, !stream.isFinished else { return }
        stream.isFinished = true
        stream.deadlineTimer?.cancel()
        if stream.responseHeadersSent {
            stream.trailers = HeaderCoding.statusHeaders(error.status)
            resume(stream)
        } else {
            respondTrailersOnly(stream, status: error.status)
        }
    }

    func resume(_ stream: ServerStream) {
        if stream.isDeferred {
            stream.isDeferred = false
            session?.resumeData(streamID: stream.id)
        }
        scheduleFlush()
    }

    private func serviceName(of path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.first.map(String.init) ?? ""
    }
}

