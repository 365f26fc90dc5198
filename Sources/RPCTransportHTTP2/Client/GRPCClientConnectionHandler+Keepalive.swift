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
