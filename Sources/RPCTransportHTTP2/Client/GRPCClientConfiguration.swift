/// Limits and windows of a gRPC client.
public struct GRPCClientConfiguration: Sendable {
    public var maxReceiveMessageSize = 4 * 1024 * 1024
    public var initialStreamWindow = 1 << 20
    public var connectionWindow = 16 << 20
    public var maxHeaderListSize = 16 * 1024
    /// `send` suspends while a call has more than this many request bytes queued.
    public var outboundHighWaterMark = 256 * 1024
    /// How long to wait for a connection before failing calls with UNAVAILABLE.
    public var connectTimeout: Duration = .seconds(5)
    /// After a failed connection attempt, calls fail at once with UNAVAILABLE until the next
    /// attempt is due (grpc's connection-backoff: 1 s, x1.6 per failure, ±20 %, at most 120 s).
    public var backoff = ConnectionBackoff()
    /// Send an HTTP/2 PING after this long without reading anything from the server (nil:
    /// never, grpc's default for clients). When the PING is not answered within
    /// `keepaliveTimeout`, the connection closes, every open call fails with UNAVAILABLE, and
    /// the next call connects again: so a server host that vanished without a RST (a network
    /// partition, a frozen machine) is noticed in about interval + timeout instead of when
    /// TCP gives up (~15 min). A connection that is receiving data sends no PINGs.
    ///
    /// Hodei's server accepts PINGs at any rate. Other servers may not: grpc-go and grpc-core
    /// servers by default answer PINGs more often than every 5 minutes (every 2 hours when
    /// there are no calls) with GOAWAY ENHANCE_YOUR_CALM ("too_many_pings"), which is why this
    /// is off unless asked for.
    public var keepaliveInterval: Duration?
    /// How long a keepalive PING may go unanswered before the connection is closed.
    public var keepaliveTimeout: Duration = .seconds(20)
    /// Also ping a connection that has no open call (grpc's
    /// GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS). Off: an idle connection is not pinged; a
    /// call that opens on one quiet for an interval gets a PING at once.
    public var keepaliveWithoutCalls = false

    public init() {}
}

/// Exponential backoff with jitter between connection attempts, as grpc's
/// doc/connection-backoff.md describes it.
public struct ConnectionBackoff: Sendable {
    public var initial: Duration = .seconds(1)
    public var multiplier = 1.6
    public var jitter = 0.2
    public var maximum: Duration = .seconds(120)

    public init() {}

    /// The wait before attempt `failures + 1`, randomized by ±jitter so that many clients
    /// that lost the same server do not come back at the same instant.
    public func delay(afterFailures failures: Int) -> Duration {
        var seconds = Double(initial.components.seconds) + Double(initial.components.attoseconds) / 1e18
        let maximumSeconds = Double(maximum.components.seconds)
        for _ in 1..<max(1, failures) { seconds = min(seconds * multiplier, maximumSeconds) }
        let randomized = seconds * (1 + Double.random(in: -jitter...jitter))
        return .nanoseconds(Int64(max(0, randomized) * 1e9))
    }
}
