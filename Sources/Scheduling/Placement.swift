/// One decision of `Scheduler.schedule(limit:)`: this job now runs on that worker.
public struct Placement: Sendable, Hashable {
    public var jobID: String
    public var workerID: String

    public init(jobID: String, workerID: String) {
        self.jobID = jobID
        self.workerID = workerID
    }
}
