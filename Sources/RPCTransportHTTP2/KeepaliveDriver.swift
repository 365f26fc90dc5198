import NIOCore

/// A connection handler that runs keepalive: one timer on the connection's loop that asks
/// `KeepaliveState` what to do when it fires and does it. The server and the client handler
/// both conform; they differ only in when a PING may be sent and in what closing means
/// (the client also fails its open calls).
protocol KeepaliveDriver: AnyObject, SendableMetatype {
    /// Nil while keepalive is off.
    var keepalive: KeepaliveState? { get set }
    var keepaliveTimer: Scheduled<Void>? { get set }
    /// When the connection last read something.
    var lastActivity: NIODeadline { get }
    /// The connection's loop; nil once the handler left its pipeline.
    var keepaliveLoop: (any EventLoop)? { get }
    /// Whether a PING may be sent now (a client without calls may not).
    var keepaliveMayPing: Bool { get }
    /// Submits a PING and flushes it.
    func sendKeepalivePing()
    /// The PING went unanswered for the timeout: close the connection.
    func keepaliveExpired(_ state: KeepaliveState)
}

extension KeepaliveDriver {
    func armKeepalive(after delay: TimeAmount) {
        guard let loop = keepaliveLoop else { return }
        let bound = NIOLoopBound(self, eventLoop: loop)
        keepaliveTimer = loop.scheduleTask(in: delay) { bound.value.keepaliveFired() }
    }

    /// Runs the timer's check now instead of when it is due (nothing while a PING is
    /// outstanding: its timeout stands).
    func checkKeepaliveNow() {
        guard let state = keepalive, !state.awaitingPingAck else { return }
        keepaliveTimer?.cancel()
        keepaliveFired()
    }

    /// A PING ACK arrived: back to waiting a whole interval.
    func keepalivePingAcknowledged() {
        guard let delay = keepalive?.pingAcknowledged() else { return }
        keepaliveTimer?.cancel()
        armKeepalive(after: TimeAmount(delay))
    }

    private func keepaliveFired() {
        guard var state = keepalive else { return }
        let action = state.timerFired(quiet: Duration(NIODeadline.now() - lastActivity), mayPing: keepaliveMayPing)
        keepalive = state
        switch action {
        case .wait(let delay):
            armKeepalive(after: TimeAmount(delay))
        case .ping(let delay):
            sendKeepalivePing()
            armKeepalive(after: TimeAmount(delay))
        case .close:
            keepaliveTimer = nil
            keepaliveExpired(state)
        }
    }
}
