/// One `key=value` label, the unit the worker index keeps a bitset for.
struct LabelPair: Hashable, Sendable {
    var key: String
    var value: String
}

/// A set of required labels, interned so that the worker index can cache its candidate mask
/// by a small integer. Id 0 is the empty requirement (every worker qualifies).
struct LabelRequirement: Sendable {
    var id: Int
    var pairs: [LabelPair]

    static let none = LabelRequirement(id: 0, pairs: [])

    /// Whether a worker with `labels` carries every required pair.
    func isSatisfied(by labels: [String: String]) -> Bool {
        pairs.allSatisfy { labels[$0.key] == $0.value }
    }
}
