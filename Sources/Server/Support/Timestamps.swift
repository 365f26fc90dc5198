import Foundation
import ProtoRuntime

extension Google_Protobuf_Timestamp {
    /// The timestamp of a wall-clock instant.
    init(date: Date) {
        self.init()
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        self.seconds = Int64(seconds)
        self.nanos = Int32(min(999_999_999, max(0, ((interval - seconds) * 1e9).rounded())))
    }

    /// Now, on the server's wall clock.
    static var now: Google_Protobuf_Timestamp { Google_Protobuf_Timestamp(date: Date()) }

    var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9) }
}

extension Google_Protobuf_Duration {
    init(_ duration: Duration) {
        self.init()
        let (seconds, attoseconds) = duration.components
        self.seconds = seconds
        self.nanos = Int32(attoseconds / 1_000_000_000)
    }

    /// The duration as Swift's `Duration`.
    var swiftDuration: Duration { .seconds(seconds) + .nanoseconds(Int64(nanos)) }
}
