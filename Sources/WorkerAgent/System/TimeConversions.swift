import Foundation
import ProtoRuntime

extension Google_Protobuf_Timestamp {
    /// The current wall-clock time, as the protocol's agent-clock timestamps (sub-microsecond
    /// precision).
    static func now() -> Self {
        let now = Date().timeIntervalSince1970
        let seconds = now.rounded(.down)
        var timestamp = Self()
        timestamp.seconds = Int64(seconds)
        timestamp.nanos = Int32(min(999_999_999, max(0, (now - seconds) * 1e9)))
        return timestamp
    }
}

extension Google_Protobuf_Duration {
    /// The protobuf form of a Swift duration (nanosecond precision).
    init(_ duration: Duration) {
        self.init()
        let (seconds, attoseconds) = duration.components
        self.seconds = seconds
        self.nanos = Int32(attoseconds / 1_000_000_000)
    }
}

extension Duration {
    /// A protobuf duration as a Swift duration.
    init(_ proto: Google_Protobuf_Duration) {
        self = .seconds(proto.seconds) + .nanoseconds(Int64(proto.nanos))
    }

    /// A protobuf duration, or `fallback` when it is unset or not positive (the protocol's
    /// "zero means the default").
    static func positive(_ proto: Google_Protobuf_Duration?, or fallback: Duration) -> Duration {
        guard let proto else { return fallback }
        let duration = Duration(proto)
        return duration > .zero ? duration : fallback
    }

    /// The duration in seconds, as a floating-point number (for logs and arithmetic).
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
