/// A job waiting for a worker: its priority, what it needs, and the labels its worker must carry.
public struct SchedulableJob: Sendable, Hashable {
    public var id: String
    public var priority: SchedulingPriority
    public var resources: ResourceAmount
    /// Each pair must be among the worker's labels (same key, same value).
    public var requiredLabels: [String: String]

    public init(
        id: String,
        priority: SchedulingPriority,
        resources: ResourceAmount,
        requiredLabels: [String: String] = [:]
    ) {
        self.id = id
        self.priority = priority
        self.resources = resources
        self.requiredLabels = requiredLabels
    }
}
