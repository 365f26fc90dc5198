import NIOCore
import RPCCore

/// A call's stream and its connection, reached from the handler's task. Confined to the
/// event loop (through `NIOLoopBound`); the writer's messages are framed and queued here.
final class CallBinding {
    let connection: GRPCServerConnectionHandler
    let stream: ServerStream

    init(connection: GRPCServerConnectionHandler, stream: ServerStream) {
        self.connection = connection
        self.stream = stream
    }

    func sendInitialMetadata(_ metadata: Metadata) throws {
        guard !stream.isClosed else { throw RPCError(code: .cancelled, message: "the stream is closed") }
        stream.initialMetadata = metadata
        sendHeadersIfNeeded()
    }

    /// Queues one message; suspends while the stream holds more than the high-water mark.
    func send(_ message: [UInt8], compress: Bool) async throws {
        if try queue(message, compress: compress) { try await waitUntilDrained() }
    }

    /// Queues one message; returns true when the stream now holds more than the high-water
    /// mark (the writer should `waitUntilDrained`).
    func queue(_ message: [UInt8], compress: Bool) throws -> Bool {
        guard !stream.isClosed else { throw RPCError(code: .cancelled, message: "the stream is closed") }
        guard message.count <= connection.configuration.maxSendMessageSize else {
            throw RPCError(code: .resourceExhausted, message: "response message of \(message.count) bytes is over the limit")
        }
        sendHeadersIfNeeded()
        stream.outbound.append(message, compress: compress && stream.clientAcceptsGzip)
        connection.resume(stream)
        return stream.outbound.pendingBytes > connection.configuration.outboundHighWaterMark
    }

    /// Suspends until the stream is below the low-water mark (or closed).
    func waitUntilDrained() async throws {
        try await withCheckedThrowingContinuation { stream.blockedWriters.append($0) }
    }

    /// A unary handler's response: headers (with the context's initial metadata) and the
    /// message, without suspending; returns `queue`'s answer.
    func queueUnaryResponse(_ message: [UInt8], context: ServerContext) throws -> Bool {
        let (initialMetadata, compresses) = context.responseOptions
        if !initialMetadata.isEmpty { try sendInitialMetadata(initialMetadata) }
        return try queue(message, compress: compresses)
    }

    /// The handler returned: send trailers after whatever is queued.
    /// The handler returned (or the deadline passed): the first outcome wins.
    func finish(_ outcome: (Status, Metadata)) {
        guard !stream.isClosed, !stream.isFinished else { return }
        stream.isFinished = true
        stream.deadlineTimer?.cancel()
        if stream.acceptsRequestMessages || stream.window.held > 0 {
            // Request messages nobody will read: dropped, their window given back.
            connection.dropRequests(stream, throwing: RPCError(code: .cancelled, message: "the call has finished"))
        }
        let (status, trailers) = outcome
        if !stream.responseHeadersSent {
            // Nothing was sent: an error (or an empty stream) is a trailers-only response.
            if status.code != .ok || stream.initialMetadata.isEmpty {
                connection.respondTrailersOnly(stream, status: status, metadata: stream.initialMetadata.merging(trailers))
                return
            }
            sendHeadersIfNeeded()
        }
        stream.trailers = status.code == .ok && status.message.isEmpty && trailers.isEmpty
            ? .ok : .fields(HeaderCoding.statusHeaders(status) + HeaderCoding.headers(from: trailers))
        connection.resume(stream)
    }

    private func sendHeadersIfNeeded() {
        guard !stream.responseHeadersSent else { return }
        stream.responseHeadersSent = true
        stream.isDeferred = false
        if stream.initialMetadata.isEmpty {
            let block = stream.clientAcceptsGzip ? GRPCServerConnectionHandler.okResponseHeadersGzip : GRPCServerConnectionHandler.okResponseHeaders
            _ = connection.session?.submitResponse(streamID: stream.id, block: block, hasBody: true)
        } else {
            _ = connection.session?.submitResponse(streamID: stream.id, headers: connection.responseHeaders(stream.initialMetadata, gzip: stream.clientAcceptsGzip), hasBody: true)
        }
        connection.scheduleFlush()
    }
}
