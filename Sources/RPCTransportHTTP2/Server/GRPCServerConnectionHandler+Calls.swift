import NIOCore
import RPCCore

// The life of one call: validate the request headers, run the handler on the loop, send
// its messages, and end with trailers (or a trailers-only response for early errors).

extension GRPCServerConnectionHandler {
    func startCall(_ stream: ServerStream, headers: RequestHeaders) {
        guard headers.isPOST else {
            respondWithHTTPError(stream, status: 405)
            return
        }
        guard headers.contentTypeIsGRPC else {
            respondWithHTTPError(stream, status: 415)
            return
        }
        guard case .found(let route) = headers.route else {
            let path = if case .unknown(let path) = headers.route { path } else { "" }
            let message = router.serviceNames.contains(serviceName(of: path)) ? "unknown method \(path)" : "unknown service \(serviceName(of: path))"
            respondTrailersOnly(stream, status: Status(code: .unimplemented, message: message))
            return
        }
        switch headers.grpcEncoding {
        case nil, "identity": break
        case "gzip": stream.requestIsGzip = true
        case let encoding?:
            respondTrailersOnly(stream, status: Status(code: .unimplemented, message: "grpc-encoding \(encoding) is not supported"),
                                extra: [("grpc-accept-encoding", Self.acceptedEncodings)])
            return
        }
        stream.clientAcceptsGzip = headers.acceptsGzip
        var timeout: GRPCTimeout?
        if let timeoutText = headers.timeout {
            guard let parsed = GRPCTimeout(headerValue: timeoutText) else {
                respondTrailersOnly(stream, status: Status(code: .internal, message: "malformed grpc-timeout \"\(timeoutText)\""))
                return
            }
            timeout = parsed
        }
        let loop = context!.eventLoop
        let bound = NIOLoopBound(CallBinding(connection: self, stream: stream), eventLoop: loop)
        // The context is made when the handler starts (a unary one's knows its message).
        stream.pendingHandler = PendingHandler(
            method: route, metadata: headers.metadata.isEmpty ? Metadata() : HeaderCoding.metadata(from: headers.metadata),
            deadline: timeout.map { ContinuousClock.now.advanced(by: $0.duration) }, binding: bound)
        // A unary handler that takes its request whole gets it from the stream, not a source.
        let requests: RPCRequestSource?
        if route.takesWholeRequest {
            requests = nil
            stream.wholeRequest = WholeRequest()
        } else {
            requests = makeRequestSource(bound)
            stream.requests = requests
        }
        if let timeout {
            // At the deadline: answer DEADLINE_EXCEEDED now and cancel the handler.
            stream.deadlineTimer = loop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                let binding = bound.value
                // The request stream fails first, so a handler still reading sees the deadline.
                binding.connection.dropRequests(binding.stream, throwing: RPCError(code: .deadlineExceeded, message: "the deadline was exceeded"))
                binding.finish((Status(code: .deadlineExceeded, message: "the deadline was exceeded"), [:]))
                binding.stream.handlerTask?.cancel()
            }
        }
        // A client-streaming handler starts now and reads messages as they come; a unary or
        // server-streaming one starts once its request is complete (see `finishRequests`),
        // so it finds its message queued and answers within the same read.
        if let requests, route.startsWithCall { startHandler(stream, requests: requests) }
    }

    /// Starts the handler as a task that runs at once, inline, on this loop until it first
    /// suspends, and afterwards on this loop too (the loop is its executor preference). A
    /// handler that does not suspend has its response queued before the read batch ends, so
    /// the response goes out with the batch's one flush.
    func startHandler(_ stream: ServerStream, requests: RPCRequestSource) {
        guard let pending = stream.pendingHandler.take() else { return }
        guard !stream.isFinished, !stream.isClosed else { return }
        let binding = pending.binding
        let callContext = ServerContext(method: pending.method.method.descriptor, metadata: pending.metadata, deadline: pending.deadline, peer: peer)
        let writer = RPCResponseWriter(
            sendMessage: { message, compress in
                let shouldCompress = compress ?? callContext.compressesResponses
                if binding.eventLoop.inEventLoop {
                    try await binding.value.send(message, compress: shouldCompress)
                } else {
                    try await binding.onLoop { try await $0.send(message, compress: shouldCompress) }
                }
            },
            sendMetadata: { metadata in try await binding.onLoop { try $0.sendInitialMetadata(metadata) } }
        )
        let task = Self.spawn(pending.method.method.handler, requests: RPCRequestStream(requests), writer: writer, context: callContext,
                              binding: binding, executor: executor!)
        if !stream.isClosed && !stream.isFinished { stream.handlerTask = task }
    }

    /// Starts a unary handler (`RPCServerMethod.unary`) on its complete request, like
    /// `startHandler`; its response and trailers are queued straight from the task, which is
    /// on this loop, without a request stream or a response writer in between.
    func startUnaryHandler(_ stream: ServerStream, request: WholeRequest, endedInsideMessage: Bool) {
        guard let pending = stream.pendingHandler.take(), let unary = pending.method.method.unary else { return }
        guard !stream.isFinished, !stream.isClosed else { return }
        let binding = pending.binding
        // The same errors, in the same order, as `RPCRequestStream.single()` reports them.
        let error: RPCError? = if request.count > 1 {
            RPCError(code: .internal, message: "the request has more than one message")
        } else if endedInsideMessage {
            RPCError(code: .internal, message: "the request ended inside a message")
        } else if request.count == 0 {
            RPCError(code: .internal, message: "the request has no message")
        } else {
            nil
        }
        guard let message = request.first, error == nil else {
            binding.value.finish((error!.status, error!.metadata))
            return
        }
        let context = ServerContext(method: pending.method.method.descriptor, metadata: pending.metadata, deadline: pending.deadline, peer: peer,
                                    requestWasCompressed: message.compressed)
        let task = Self.spawnUnary(unary, message: message, context: context, binding: binding, executor: executor!)
        if !stream.isClosed && !stream.isFinished { stream.handlerTask = task }
    }

    private static func spawnUnary(
        _ unary: @escaping RPCServerMethod.UnaryHandler,
        message: RPCReceivedMessage,
        context: ServerContext,
        binding: NIOLoopBound<CallBinding>,
        executor: ConnectionTaskExecutor
    ) -> Task<Void, Never> {
        Task.immediate(executorPreference: executor) {
            var outcome: (Status, Metadata)
            do {
                let response = try await unary(message, context)
                // The task runs on the loop (its executor preference) unless the handler
                // left it on another executor; `onLoop` (a closure per call) only then.
                if binding.eventLoop.inEventLoop {
                    let call = binding.value
                    if try call.queueUnaryResponse(response, context: context) { try await call.waitUntilDrained() }
                } else {
                    try await binding.onLoop { call in
                        if try call.queueUnaryResponse(response, context: context) { try await call.waitUntilDrained() }
                    }
                }
                outcome = (.ok, context.trailingMetadata)
            } catch var error as RPCError {
                error.metadata = context.trailingMetadata.merging(error.metadata)
                outcome = (error.status, error.metadata)
            } catch {
                outcome = Self.outcome(of: error)
            }
            if binding.eventLoop.inEventLoop {
                binding.value.finish(outcome)
            } else {
                await binding.onLoop { [outcome] in $0.finish(outcome) }
            }
        }
    }

    private static func spawn(
        _ handler: @escaping RPCServerMethod.Handler,
        requests: RPCRequestStream,
        writer: RPCResponseWriter,
        context: ServerContext,
        binding: NIOLoopBound<CallBinding>,
        executor: ConnectionTaskExecutor
    ) -> Task<Void, Never> {
        Task.immediate(executorPreference: executor) {
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
        } catch {
            return outcome(of: error)
        }
    }

    /// The status and trailing metadata of a handler that threw `error`.
    static func outcome(of error: any Error) -> (Status, Metadata) {
        switch error {
        case let error as RPCError:
            (error.status, error.metadata)
        case let error as any RPCErrorConvertible:
            (error.rpcError.status, error.rpcError.metadata)
        case is CancellationError:
            (Status(code: .cancelled, message: "the call was cancelled"), [:])
        default:
            (Status(code: .unknown, message: "\(error)"), [:])
        }
    }

    static let acceptedEncodings = "gzip,identity"

    /// The response headers of a call without initial metadata or compression.
    static let okResponseHeaders = StaticHeaderBlock([
        (":status", "200"), ("content-type", "application/grpc"), ("grpc-accept-encoding", "gzip,identity"),
    ])
    /// The same for a client that accepts gzip (see `responseHeaders`).
    static let okResponseHeadersGzip = StaticHeaderBlock([
        (":status", "200"), ("content-type", "application/grpc"), ("grpc-accept-encoding", "gzip,identity"), ("grpc-encoding", "gzip"),
    ])
    /// The trailers of a call that succeeded without trailing metadata.
    static let okTrailers = StaticHeaderBlock([("grpc-status", "0")])

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
        dropRequests(stream, throwing: error)
        stream.pendingHandler = nil
        stream.handlerTask?.cancel()
        guard !stream.isClosed, !stream.isFinished else { return }
        stream.isFinished = true
        stream.deadlineTimer?.cancel()
        if stream.responseHeadersSent {
            stream.trailers = .fields(HeaderCoding.statusHeaders(error.status))
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

