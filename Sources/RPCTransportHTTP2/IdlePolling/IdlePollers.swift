import NIOCore

/// One ``IdlePoller`` per event loop of a group, for the loops whose epoll descriptor could
/// be found.
struct IdlePollers: Sendable {
    private let pollers: [ObjectIdentifier: IdlePoller]

    /// Nil when `window` is nil or zero (polling off).
    static func make(for group: any EventLoopGroup, window: Duration?) async -> IdlePollers? {
        guard let window, window > .zero else { return nil }
        var pollers: [ObjectIdentifier: IdlePoller] = [:]
        for loop in group.makeIterator() {
            guard let selector = await LoopSelectorDescriptor.find(for: loop) else { continue }
            pollers[ObjectIdentifier(loop)] = IdlePoller(loop: loop, selector: selector, window: TimeAmount(window))
        }
        return IdlePollers(pollers: pollers)
    }

    func poller(for loop: any EventLoop) -> IdlePoller? {
        pollers[ObjectIdentifier(loop)]
    }
}
