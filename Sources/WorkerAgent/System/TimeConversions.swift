import Foundation
import ProtoRuntime

extension Duration {
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

extension Google_Protobuf_Timestamp {
    /// The current wall-clock time. (Kept per executable: Foundation in JobAPI would reach every module that imports it.)
    static var now: Google_Protobuf_Timestamp {
        let interval = Date().timeIntervalSince1970
        let seconds = interval.rounded(.down)
        var timestamp = Google_Protobuf_Timestamp()
        timestamp.seconds = Int64(seconds)
        timestamp.nanos = Int32(min(999_999_999, max(0, ((interval - seconds) * 1e9).rounded(.down))))
        return timestamp
    }

    /// Seconds since the Unix epoch, as a floating-point number.
    var secondsSince1970: Double { Double(seconds) + Double(nanos) / 1e9 }
}
