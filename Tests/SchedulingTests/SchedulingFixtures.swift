import Scheduling

/// Short constructors for the tests' workers and jobs.
func makeWorker(
    _ id: String, cpu: UInt32 = 8000, memory: UInt32 = 16384, gpus: UInt32 = 0, maxJobs: Int = 100,
    labels: [String: String] = [:]
) -> SchedulableWorker {
    SchedulableWorker(
        id: id, capacity: ResourceAmount(cpuMillicores: cpu, memoryMB: memory, gpus: gpus), maxJobs: maxJobs,
        labels: labels)
}

func makeJob(
    _ id: String, _ priority: SchedulingPriority = .normal, cpu: UInt32 = 100, memory: UInt32 = 128,
    gpus: UInt32 = 0, labels: [String: String] = [:]
) -> SchedulableJob {
    SchedulableJob(
        id: id, priority: priority, resources: ResourceAmount(cpuMillicores: cpu, memoryMB: memory, gpus: gpus),
        requiredLabels: labels)
}

