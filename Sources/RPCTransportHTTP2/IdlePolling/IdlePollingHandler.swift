import NIOCore

/// First in a connection's pipeline: tells its loop's ``IdlePoller`` about every read and
/// every flush (the answer to a request is when the next request becomes likely).
final class IdlePollingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let poller: IdlePoller

    init(poller: IdlePoller) {
        self.poller = poller
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        poller.readArrived()
        context.fireChannelRead(data)
    }

    /// After the handlers behind this one, which flush their answers here.
    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        poller.readHandled()
    }

    func flush(context: ChannelHandlerContext) {
        context.flush()
        poller.flushed()
    }
}

