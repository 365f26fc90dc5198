extension Google_Protobuf_Duration {
    /// The protobuf form of a Swift duration (nanosecond precision).
    public init(_ duration: Duration) {
        self.init()
        let (seconds, attoseconds) = duration.components
        self.seconds = seconds
        self.nanos = Int32(attoseconds / 1_000_000_000)
    }
}

extension Duration {
    /// A protobuf duration as a Swift duration.
    public init(_ proto: Google_Protobuf_Duration) {
        self = .seconds(proto.seconds) + .nanoseconds(Int64(proto.nanos))
    }
}
