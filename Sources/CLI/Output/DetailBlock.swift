import Foundation
import ProtoRuntime

/// A "Label:  value" block for one object, labels padded to one column; empty values skipped.
struct DetailBlock {
    private var lines: [(label: String, value: String)] = []

    mutating func add(_ label: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        lines.append((label, Table.sanitize(value)))
    }

    /// "2025-01-15 10:30:15 (3m ago)" in local time; nothing when unset.
    mutating func add(_ label: String, time: Google_Protobuf_Timestamp?, now: Date = Date()) {
        guard let time else { return }
        let date = Date(timeIntervalSince1970: TimeInterval(time.seconds) + TimeInterval(time.nanos) / 1e9)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        add(label, "\(formatter.string(from: date)) (\(DurationText.age(of: time, now: now)) ago)")
    }

    func render() -> String {
        // Values start in column 14 (further only for a label longer than ten characters).
        let width = max(13, (lines.map(\.label.count).max() ?? 0) + 3)
        return lines.map { ($0.label + ":").padding(toLength: width, withPad: " ", startingAt: 0) + $0.value + "\n" }.joined()
    }
}
