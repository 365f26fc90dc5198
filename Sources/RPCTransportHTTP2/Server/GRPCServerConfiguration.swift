/// Limits and windows of a gRPC server.
public struct GRPCServerConfiguration: Sendable {
    /// Largest request message accepted; larger ones end the call with RESOURCE_EXHAUSTED.
    public var maxReceiveMessageSize = 4 * 1024 * 1024
    /// Largest response message a handler may send.
    public var maxSendMessageSize = Int(Int32.max)
    public var maxConcurrentStreams = 1024
    /// HTTP/2 flow-control windows the server grants.
    public var initialStreamWindow = 1 << 20
    public var connectionWindow = 16 << 20
    public var maxHeaderListSize = 16 * 1024
    /// A handler's `write` suspends while a stream has more than this many bytes queued.
    public var outboundHighWaterMark = 256 * 1024
    /// Send a PING after this long without hearing from the client (nil: never), and close the
    /// connection if it is not answered within `keepaliveTimeout`.
    public var keepaliveInterval: Duration? = .seconds(7200)
    public var keepaliveTimeout: Duration = .seconds(20)
    /// Close a connection that has had no call for this long (nil: never), with a GOAWAY first.
    public var idleTimeout: Duration?
    /// Connections beyond this many are closed as soon as they are accepted.
    public var maxConnections = 10_000
    /// After a read or a flush, an event loop keeps polling its sockets this long before it
    /// sleeps, as long as that pays (see `IdlePoller`); nil or zero: sleep at once. Answers a client
    /// that sends its next request straight away in well under the time a wake-up takes (one
    /// call at a time: 44 µs instead of 75 on the bench VM).
    public var idlePollWindow: Duration? = .microseconds(50)

    public init() {}
}
