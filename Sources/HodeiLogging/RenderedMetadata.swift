import Logging

/// A logger's own metadata as `key=value` texts sorted by key, rendered once when the
/// metadata is set rather than on every event.
struct RenderedMetadata: Sendable {
    private let entries: [(key: String, text: String)]

    init(_ metadata: Logger.Metadata) {
        entries = metadata.map { (key: $0.key, text: "\($0.key)=\($0.value)") }.sorted { $0.key < $1.key }
    }

    /// Appends ` key=value` for every entry and every entry of `extra`, in key order, as
    /// StreamLogHandler prints them; on equal keys the event's value wins.
    func append(merging extra: Logger.Metadata, to line: inout String) {
        let others = extra.sorted { $0.key < $1.key }
        var mine = 0
        var theirs = 0
        while mine < entries.count || theirs < others.count {
            if theirs == others.count || (mine < entries.count && entries[mine].key < others[theirs].key) {
                line += " "
                line += entries[mine].text
                mine += 1
            } else {
                if mine < entries.count && entries[mine].key == others[theirs].key { mine += 1 }
                line += " "
                line += others[theirs].key
                line += "="
                line += others[theirs].value.description
                theirs += 1
            }
        }
    }
}
