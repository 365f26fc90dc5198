import Foundation
import ProtoRuntime

/// Durations as people type and read them: "90", "90s", "5m", "1h30m", "500ms", "2d".
enum DurationText {
    /// Parses a duration: a plain number is seconds; otherwise one or more number-unit pairs
    /// (units `ms`, `s`, `m`, `h`, `d`; numbers may have decimals), such as "1h30m" or "1.5s".
    /// Returns nil for anything else, for negative values, and for the empty string.
    static func parse(_ text: String) -> Duration? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            return seconds >= 0 && seconds < 1e11 ? .nanoseconds(Int64(seconds * 1e9)) : nil
        }
        var total = 0.0
        var rest = Substring(text)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), let scale = unitSeconds[String(unit)] else { return nil }
            total += value * scale
        }
        return total.isFinite && total < 1e11 ? .nanoseconds(Int64(total * 1e9)) : nil
    }

    private static let unitSeconds: [String: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400]

    /// A compact form with at most two units: "45s", "1.5s", "3m20s", "2h5m", "3d4h"; "0s" for
    /// zero or negative durations.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || attoseconds > 0 else { return "0s" }
        if seconds < 10 {
            let value = Double(seconds) + Double(attoseconds) / 1e18
            if value < 1 { return "\(Int((value * 1000).rounded()))ms" }
            let rounded = (value * 10).rounded() / 10
            return rounded == rounded.rounded() ? "\(Int(rounded))s" : "\(rounded)s"
        }
        let units: [(name: String, size: Int64)] = [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)]
        let first = units.firstIndex { seconds >= $0.size } ?? units.count - 1
        var text = "\(seconds / units[first].size)\(units[first].name)"
        if first + 1 < units.count {
            let next = units[first + 1]
            let count = seconds % units[first].size / next.size
            if count > 0 { text += "\(count)\(next.name)" }
        }
        return text
    }

    /// The age of an instant relative to `now` in one unit, as listings show it: "45s", "12m",
    /// "5h", "3d"; "0s" for instants in the future (clock skew); "-" when unset.
    static func age(of timestamp: Google_Protobuf_Timestamp?, now: Date = Date()) -> String {
        guard let timestamp else { return "-" }
        let seconds = max(0, Int64(now.timeIntervalSince1970) - timestamp.seconds)
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }

    /// A protobuf Duration as ``format(_:)`` writes it.
    static func format(_ duration: Google_Protobuf_Duration) -> String {
        format(.seconds(duration.seconds) + .nanoseconds(Int64(duration.nanos)))
    }

    /// A Swift Duration as a protobuf Duration (whole nanoseconds).
    static func proto(_ duration: Duration) -> Google_Protobuf_Duration {
        var proto = Google_Protobuf_Duration()
        proto.seconds = duration.components.seconds
        proto.nanos = Int32(duration.components.attoseconds / 1_000_000_000)
        return proto
    }
}
