import NIOCore
import RPCCore

// Keepalive of a client connection (see `KeepaliveState` and
// `GRPCClientConfiguration.keepaliveInterval`). Reads stamp `lastActivity` (only when
// keepalive is on); one timer checks the stamp and re-arms for the remainder. Everything
// runs on the connection's event loop.

extension GRPCClientConnectionHandler {
    func startKeepalive() {
        guard keepalive == nil, let interval = configuration.keepaliveInterval else { return }
        let state = KeepaliveState(interval: interval, timeout: configuration.keepaliveTimeout)
        keepalive = state
        lastActivity = .now()
        armKeepalive(after: TimeAmount(state.interval))
    }

    func stopKeepalive() {
        keepaliveTimer?.cancel()
        keepaliveTimer = nil
    }

    private func armKeepalive(after delay: TimeAmount) {
        guard let context else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        keepaliveTimer = context.eventLoop.scheduleTask(in: delay) { bound.value.keepaliveFired() }
    }

    private func keepaliveFired() {
        guard var state = keepalive, let session, let context else { return }
        let mayPing = configuration.keepaliveWithoutCalls || !streams.isEmpty
        let action = state.timerFired(quiet: Duration(NIODeadline.now() - lastActivity), mayPing: mayPing)
        keepalive = state
        switch action {
        case .wait(let delay):
            armKeepalive(after: TimeAmount(delay))
        case .ping(let delay):
            session.submitPing()
            flush()
            armKeepalive(after: TimeAmount(delay))
        case .close:
            keepaliveTimer = nil
            failAll(Status(code: .unavailable, message: "keepalive ping not answered within \(state.timeoutText); connection closed"))
            context.close(promise: nil)
        }
    }

    func sessionDidReceivePingAck() {
        guard let delay = keepalive?.pingAcknowledged() else { return }
        keepaliveTimer?.cancel()
        armKeepalive(after: TimeAmount(delay))
    }
}
