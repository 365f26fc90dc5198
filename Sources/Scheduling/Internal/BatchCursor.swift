/// Where the weighted round-robin over priorities stands: which priority is being served and
/// how many jobs it has had in its current batch. Kept across `schedule` calls, so that one
/// placement per call (the event-driven case) still follows the weights.
struct BatchCursor: Sendable {
    /// Jobs per batch, indexed by priority raw value, each at least 1.
    let weights: [Int]
    private(set) var priority = SchedulingPriority.high
    private(set) var taken = 0

    init(weights: [SchedulingPriority: Int]) {
        self.weights = SchedulingPriority.allCases.map { max(1, weights[$0] ?? 1) }
    }

    var hasQuota: Bool { taken < weights[priority.rawValue] }

    mutating func recordPlacement() {
        taken += 1
    }

    /// Moves to the next priority (high → normal → low → high) with a fresh batch.
    mutating func advance() {
        priority = SchedulingPriority(rawValue: (priority.rawValue + 1) % weights.count)!
        taken = 0
    }
}
