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

    /// The connection went from no call to one. With keepalive without calls off, its timer
    /// was only re-arming a whole interval at a time; a connection already quiet for an
    /// interval is checked now (as grpc-core does), not up to an interval later, so a call on
    /// a connection that died while unused fails within the timeout instead of hanging.
    func keepaliveFirstCallStarted() {
        guard !configuration.keepaliveWithoutCalls else { return }
        checkKeepaliveNow()
    }

    func sessionDidReceivePingAck() {
        keepalivePingAcknowledged()
    }
}

extension GRPCClientConnectionHandler: KeepaliveDriver {
    var keepaliveLoop: (any EventLoop)? { context?.eventLoop }

    var keepaliveMayPing: Bool { configuration.keepaliveWithoutCalls || !streams.isEmpty }

    func sendKeepalivePing() {
        session?.submitPing()
        flush()
    }

    func keepaliveExpired(_ state: KeepaliveState) {
        failAll(Status(code: .unavailable, message: "keepalive ping not answered within \(state.timeoutText); connection closed"))
        context?.close(promise: nil)
    }
}
