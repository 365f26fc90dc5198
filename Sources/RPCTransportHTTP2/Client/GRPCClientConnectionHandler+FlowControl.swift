import NIOCore
import RPCCore

// Inbound flow control of the client: response bytes go back to the server as window when
// the caller takes them (see `InboundWindow`), so a caller that reads a response stream
// slowly stops the server. All on the connection's event loop.

extension GRPCClientConnectionHandler {
    /// Gives `count` response bytes of `stream` back to the server.
    func giveBack(_ count: Int, of stream: ClientStream) {
        guard count > 0, let session else { return }
        if stream.inboundEnded {
            session.consumeConnection(count: count)
        } else {
            session.consume(streamID: stream.id, count: count)
        }
    }

    /// Ends a call: what its stream holds goes back, then the caller learns the outcome
    /// (queued responses stay readable).
    func end(_ stream: ClientStream, _ status: Status, _ trailers: Metadata) {
        giveBack(stream.window.releaseAll(), of: stream)
        stream.complete(status, trailers)
    }

    /// Reports the responses the caller takes from `binding`'s stream.
    static func reportTakes(_ binding: NIOLoopBound<ClientCallBinding>) {
        binding.value.stream.responses.onTake { size in
            // The caller's task is usually elsewhere: one loop task per message taken.
            if binding.eventLoop.inEventLoop {
                binding.value.connection.responseTaken(size, of: binding.value.stream)
            } else {
                binding.eventLoop.execute { binding.value.connection.responseTaken(size, of: binding.value.stream) }
            }
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
