/// A worker as the scheduler sees it: what it offers and which hard constraints it imposes.
public struct SchedulableWorker: Sendable, Hashable {
    public var id: String
    /// The total it offers; placements never allocate beyond it.
    public var capacity: ResourceAmount
    /// The most jobs it runs at once, whatever their size (jobs asking for nothing count too).
    public var maxJobs: Int
    /// Matched against each job's `requiredLabels`.
    public var labels: [String: String]

    public init(id: String, capacity: ResourceAmount, maxJobs: Int, labels: [String: String] = [:]) {
        self.id = id
        self.capacity = capacity
        self.maxJobs = maxJobs
        self.labels = labels
    }
}
