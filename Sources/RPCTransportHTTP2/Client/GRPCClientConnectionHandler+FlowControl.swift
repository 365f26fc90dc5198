import NIOCore
import RPCCore

// Inbound flow control of the client: response bytes go back to the server as window when
// the caller takes them (see `InboundWindow`), so a caller that reads a response stream
// slowly stops the server. All on the connection's event loop.

extension GRPCClientConnectionHandler {
    /// Gives `count` response bytes of `stream` back to the server.
    func giveBack(_ count: Int, of stream: ClientStream) {
        session?.consume(streamID: stream.id, count: count, streamEnded: stream.inboundEnded)
    }

    /// Ends a call: what its stream holds goes back, then the caller learns the outcome
    /// (queued responses stay readable).
    func end(_ stream: ClientStream, _ status: Status, _ trailers: Metadata) {
        giveBack(stream.window.releaseAll(), of: stream)
        stream.complete(status, trailers)
    }

    /// Reports the responses the caller takes from `binding`'s stream.
    static func reportTakes(_ binding: NIOLoopBound<ClientCallBinding>) {
        // Off the loop (a caller not under `GRPCClient.taskExecutor`): one loop task per take.
        binding.value.stream.responses.onTake { size in
            binding.executeOnLoop { $0.connection.responseTaken(size, of: $0.stream) }
        }
    }

    /// The caller took a queued response message of `size` bytes.
    func responseTaken(_ size: Int, of stream: ClientStream) {
        let count = stream.window.take(size)
        guard count > 0 else { return }
        giveBack(count, of: stream)
        scheduleFlush()
    }
}
