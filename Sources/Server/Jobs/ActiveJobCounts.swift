import JobAPI

/// Unfinished jobs by state, kept as jobs change state (for the /metrics gauges, which are
/// set from it when scraped).
struct ActiveJobCounts: Sendable {
    private(set) var queued = 0
    private(set) var assigned = 0
    private(set) var running = 0

    /// Adds `delta` to the count of `state`; terminal and unspecified states are not counted.
    mutating func add(_ state: Hodei_V1_JobState, _ delta: Int) {
        switch state {
        case .queued: queued += delta
        case .assigned: assigned += delta
        case .running: running += delta
        default: break
        }
    }

    mutating func moved(from previous: Hodei_V1_JobState, to state: Hodei_V1_JobState) {
        add(previous, -1)
        add(state, 1)
    }

    var byState: [Hodei_V1_JobState: Int] { [.queued: queued, .assigned: assigned, .running: running] }
}
