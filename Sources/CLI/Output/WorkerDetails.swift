import Foundation
import JobAPI

/// The readable block `hodei workers get` and `drain` print for a worker.
enum WorkerDetails {
    static func render(_ worker: Hodei_V1_WorkerStatus, now: Date = Date()) -> String {
        let capabilities = worker.capabilities ?? Hodei_V1_WorkerCapabilities()
        var block = DetailBlock()
        block.add("Name", worker.name)
        block.add("ID", worker.id)
        block.add("State", JobText.state(worker.state) + (worker.connected ? " (attached)" : " (not attached)"))
        block.add("Host", capabilities.hostname)
        block.add("Agent", capabilities.agentVersion)
        block.add("Capacity", JobDetails.resources(capabilities.total))
        block.add("Allocated", JobDetails.resources(worker.allocated) ?? "none")
        block.add("Available", JobDetails.resources(worker.available))
        let maxJobs = capabilities.maxConcurrentJobs > 0 ? " of at most \(capabilities.maxConcurrentJobs)" : ""
        block.add("Jobs", "\(worker.runningJobs.count)\(maxJobs)")
        if !worker.runningJobs.isEmpty {
            block.add("Running", worker.runningJobs.map { "\($0.jobId) (attempt \($0.attempt))" }.joined(separator: ", "))
        }
        block.add("CPU", Quantities.formatPercent(worker.cpuUsagePercent))
        block.add("Memory", Quantities.formatMegabytes(UInt64(worker.memoryUsedMb)) + " used")
        block.add("Labels", capabilities.labels.isEmpty ? nil : JobText.labels(capabilities.labels))
        block.add("Registered", time: worker.registeredAt, now: now)
        block.add("Last seen", time: worker.lastHeartbeatAt, now: now)
        return block.render()
    }
}
