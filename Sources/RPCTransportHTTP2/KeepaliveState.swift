/// HTTP/2 keepalive of one connection, client or server: when to send a PING and when an
/// unanswered PING means the peer is gone. A value owned by the connection handler and
/// confined to its event loop; the handler performs the returned ``Action``s.
///
/// The handler stamps the time of the last read on the hot path (a clock read, nothing
/// else) and runs one timer: when it fires, ``timerFired(quiet:mayPing:)`` is given the time
/// since that stamp and says whether to re-arm for the rest of the interval, send a PING,
/// or give up.
///
/// States: *waiting* (no PING outstanding) and *awaiting an ACK*. A PING is sent only after
/// `interval` without reading anything; its ACK (``pingAcknowledged()``) returns to waiting;
/// a timer that fires while still awaiting the ACK (`timeout` after the PING) closes.
struct KeepaliveState {
    let interval: Duration
    let timeout: Duration
    private(set) var awaitingPingAck = false

    /// What the handler does when the keepalive timer fires.
    enum Action: Equatable {
        /// Nothing now: arm the timer again after this long.
        case wait(Duration)
        /// Send a PING, then arm the timer after `timeout`.
        case ping(thenCheckAfter: Duration)
        /// The PING went unanswered for `timeout`: the peer or the path is gone; close.
        case close
    }

    init(interval: Duration, timeout: Duration) {
        self.interval = interval
        self.timeout = timeout
    }

    /// The timer fired; the connection has read nothing for `quiet`. `mayPing` is false while
    /// PINGs are not wanted (a client without calls, when keepalive without calls is off):
    /// the timer then only re-arms.
    mutating func timerFired(quiet: Duration, mayPing: Bool) -> Action {
        if awaitingPingAck { return .close }
        if quiet < interval { return .wait(interval - quiet) }
        guard mayPing else { return .wait(interval) }
        awaitingPingAck = true
        return .ping(thenCheckAfter: timeout)
    }

    /// A PING ACK arrived. Returns when to arm the timer again (cancelling the pending
    /// one), or nil when no PING of ours was outstanding.
    mutating func pingAcknowledged() -> Duration? {
        guard awaitingPingAck else { return nil }
        awaitingPingAck = false
        return interval
    }

    /// "20s", "300ms": the timeout as a status message shows it.
    var timeoutText: String {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
