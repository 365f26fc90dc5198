import NIOCore
import RPCCore

// Inbound flow control: request bytes go back to the client as window when the handler
// takes them (see `InboundWindow`), so a handler that reads slowly stops its client. All on
// the connection's event loop; a WINDOW_UPDATE leaves with the read batch's flush or the
// next scheduled one.

extension GRPCServerConnectionHandler {
    /// Gives `count` request bytes of `stream` back to the client.
    func giveBack(_ count: Int, of stream: ServerStream) {
        session?.consume(streamID: stream.id, count: count, streamEnded: stream.inboundEnded || stream.isClosed)
    }

    /// The stream has closed: whatever it holds goes back.
    func releaseInbound(_ stream: ServerStream) {
        giveBack(stream.window.releaseAll(), of: stream)
    }

    /// The call takes no more request messages: the handler (if it still reads) gets `error`,
    /// and the window of the messages nobody will read goes back.
    func dropRequests(_ stream: ServerStream, throwing error: RPCError) {
        stream.endRequests(throwing: error)
        releaseInbound(stream)
    }

    /// A request source for a streaming handler that reports each message it takes (the
    /// handler's task is normally on the loop already: its executor preference).
    func makeRequestSource(_ binding: NIOLoopBound<CallBinding>) -> RPCRequestSource {
        let source = RPCRequestSource()
        source.onTake { size in
            binding.executeOnLoop { $0.connection.requestMessageTaken(size, of: $0.stream) }
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
