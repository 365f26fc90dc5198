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

    func send(_ message: [UInt8], compress: Bool?) async throws {
        if let (status, _) = stream.outcome {
            throw RPCError(code: status.code == .ok ? .cancelled : status.code, message: "the call has ended")
        }
        guard !stream.requestsFinished else { throw RPCError(code: .internal, message: "send after finish") }
        stream.outbound.append(message, compress: (compress ?? stream.compressRequests) && stream.compressRequests)
        connection.resume(stream)
        if stream.outbound.pendingBytes > connection.configuration.outboundHighWaterMark {
            try await withCheckedThrowingContinuation { stream.blockedWriters.append($0) }
        }
    }

    func finish() {
        guard !stream.requestsFinished else { return }
        stream.requestsFinished = true
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
