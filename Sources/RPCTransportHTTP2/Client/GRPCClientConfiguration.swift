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

    public init() {}
}
