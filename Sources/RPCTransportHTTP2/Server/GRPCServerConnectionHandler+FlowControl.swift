import NIOCore
import RPCCore

// Inbound flow control: request bytes go back to the client as window when the handler
// takes them (see `InboundWindow`), so a handler that reads slowly stops its client. All on
// the connection's event loop; a WINDOW_UPDATE leaves with the read batch's flush or the
// next scheduled one.

extension GRPCServerConnectionHandler {
    /// Gives `count` request bytes of `stream` back to the client.
    func giveBack(_ count: Int, of stream: ServerStream) {
        guard count > 0, let session else { return }
        if stream.inboundEnded || stream.isClosed {
            session.consumeConnection(count: count)
        } else {
            session.consume(streamID: stream.id, count: count)
        }
    }

    /// The stream takes no more messages, or has closed: whatever it holds goes back.
    func releaseInbound(_ stream: ServerStream) {
        giveBack(stream.window.releaseAll(), of: stream)
    }

    /// A request source for a streaming handler that reports each message it takes.
    func makeRequestSource(_ binding: NIOLoopBound<CallBinding>) -> RPCRequestSource {
        let source = RPCRequestSource()
        source.onTake { size in
            // The handler's task is normally on the loop (its executor preference).
            if binding.eventLoop.inEventLoop {
                binding.value.connection.requestMessageTaken(size, of: binding.value.stream)
            } else {
                binding.eventLoop.execute { binding.value.connection.requestMessageTaken(size, of: binding.value.stream) }
            }
        }
        return source
    }

    /// The handler took a queued request message of `size` bytes.
    func requestMessageTaken(_ size: Int, of stream: ServerStream) {
        let count = stream.window.take(size)
        guard count > 0 else { return }
        giveBack(count, of: stream)
        scheduleFlush()
    }
}
