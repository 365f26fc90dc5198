/// The three priority queues a job can wait in; a lower raw value is served first within a round.
public enum SchedulingPriority: Int, Sendable, Hashable, CaseIterable {
    case high = 0
    case normal = 1
    case low = 2
}
