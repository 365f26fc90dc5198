import CNGHTTP2
import NIOCore
import RPCCore

/// Asks a server connection to finish: GOAWAY now, close when its calls are done.
struct GracefulShutdownEvent: Sendable {}

// Keepalive, idle timeout and graceful shutdown of one server connection. Activity only
// stamps a time (cheap on the hot path); each timer checks the stamp when it fires and
// re-arms itself for the remainder. Everything runs on the connection's event loop.

extension GRPCServerConnectionHandler {
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is GracefulShutdownEvent {
            beginGracefulShutdown()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// GOAWAY with the last stream we accepted: the client opens no more calls here; running
    /// calls finish, then the connection closes.
    func beginGracefulShutdown() {
        guard !lifecycle.isDraining, let session else { return }
        lifecycle.isDraining = true
        session.submitGoaway(errorCode: NGHTTP2_NO_ERROR.rawValue)
        flush()
        closeIfDrained()
    }

    /// Called from nghttp2 callbacks, which run inside `mem_send` before its output is
    /// written: the close waits for the end of the flush, so the last trailers go out first.
    func closeIfDrained() {
        guard lifecycle.isDraining && streams.isEmpty else { return }
        closeAfterFlush = true
        scheduleFlush()
    }

    func noteActivity() {
        lifecycle.lastActivity = .now()
    }

    func startLifecycleTimers() {
        guard !lifecycle.timersStarted else { return }
        lifecycle.timersStarted = true
        noteActivity()
        if let interval = configuration.keepaliveInterval {
            lifecycle.keepalive = KeepaliveState(interval: interval, timeout: configuration.keepaliveTimeout)
            armKeepalive(after: TimeAmount(interval))
        }
        if let idle = configuration.idleTimeout { armIdle(after: TimeAmount(idle)) }
    }

    func sessionDidReceivePingAck() {
        keepalivePingAcknowledged()
    }

    private func armIdle(after delay: TimeAmount) {
        guard let context else { return }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        lifecycle.idleTimer = context.eventLoop.scheduleTask(in: delay) { bound.value.idleFired() }
    }

    private func idleFired() {
        guard let idle = configuration.idleTimeout else { return }
        let idleAmount = TimeAmount(idle)
        let quiet = NIODeadline.now() - lifecycle.lastActivity
        if streams.isEmpty && quiet >= idleAmount {
            beginGracefulShutdown()
        } else {
            armIdle(after: streams.isEmpty ? idleAmount - quiet : idleAmount)
        }
    }

    func cancelLifecycleTimers() {
        lifecycle.keepaliveTimer?.cancel()
        lifecycle.idleTimer?.cancel()
        lifecycle.keepaliveTimer = nil
        lifecycle.idleTimer = nil
    }
}

/// Timers and flags of a connection's lifecycle.
extension GRPCServerConnectionHandler: KeepaliveDriver {
    var keepalive: KeepaliveState? {
        get { lifecycle.keepalive }
        set { lifecycle.keepalive = newValue }
    }

    var keepaliveTimer: Scheduled<Void>? {
        get { lifecycle.keepaliveTimer }
        set { lifecycle.keepaliveTimer = newValue }
    }

    var lastActivity: NIODeadline { lifecycle.lastActivity }

    var keepaliveLoop: (any EventLoop)? { context?.eventLoop }

    /// The server pings whether or not calls are open.
    var keepaliveMayPing: Bool { true }

    func sendKeepalivePing() {
        session?.submitPing()
        flush()
    }

    func keepaliveExpired(_ state: KeepaliveState) {
        context?.close(promise: nil)
    }
}

struct ConnectionLifecycle {
    var isDraining = false
    var timersStarted = false
    /// Nil when keepalive is off.
    var keepalive: KeepaliveState?
    var lastActivity = NIODeadline.now()
    var keepaliveTimer: Scheduled<Void>?
    var idleTimer: Scheduled<Void>?
}
