import NIOCore
import RPCCore

/// A client call's stream and connection, reached from the caller's task through
/// `NIOLoopBound`.
final class ClientCallBinding {
    let connection: GRPCClientConnectionHandler
    let stream: ClientStream

    init(connection: GRPCClientConnectionHandler, stream: ClientStream) {
        self.connection = connection
        self.stream = stream
    }

    /// Moves what the caller queued (messages, a half-close) into the stream and lets
    /// nghttp2 send it: one loop task and one flush for any number of back-to-back sends.
    func drainSends() {
        let (messages, finish) = stream.sendQueue.takeAll()
        guard stream.outcome == nil else { return }
        for message in messages {
            stream.outbound.append(message.bytes, compress: (message.compress ?? stream.compressRequests) && stream.compressRequests)
        }
        if finish { stream.requestsFinished = true }
        stream.sendQueue.noteOutbound(stream.outbound.pendingBytes)
        connection.resume(stream)
    }

    func cancel() {
        connection.cancel(stream.id, status: Status(code: .cancelled, message: "the client cancelled the call"))
    }

    func initialMetadata() async throws -> Metadata {
        if let metadata = stream.initialMetadata { return metadata }
        if let (status, trailers) = stream.outcome {
            if status.code == .ok { return [:] }
            throw RPCError(code: status.code, message: status.message, metadata: trailers)
        }
        return try await withCheckedThrowingContinuation { stream.headerWaiters.append($0) }
    }

    func trailers() async -> (Status, Metadata) {
        if let outcome = stream.outcome { return outcome }
        return await withCheckedContinuation { stream.outcomeWaiters.append($0) }
    }
}
