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

    func flush(context: ChannelHandlerContext) {
        context.flush()
        poller.flushed()
    }
}

/// One ``IdlePoller`` per event loop of a group, for the loops whose epoll descriptor could
/// be found.
struct IdlePollers: Sendable {
    private let pollers: [ObjectIdentifier: IdlePoller]

    static func make(for group: any EventLoopGroup, window: TimeAmount) async -> IdlePollers {
        var pollers: [ObjectIdentifier: IdlePoller] = [:]
        for loop in group.makeIterator() {
            guard let selector = await LoopSelectorDescriptor.find(for: loop) else { continue }
            pollers[ObjectIdentifier(loop)] = IdlePoller(loop: loop, selector: selector, window: window)
        }
        return IdlePollers(pollers: pollers)
    }

    func poller(for loop: any EventLoop) -> IdlePoller? {
        pollers[ObjectIdentifier(loop)]
    }
}
