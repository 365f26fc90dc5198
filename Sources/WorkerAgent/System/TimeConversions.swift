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
