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

/// SplitMix64: a small seeded generator so randomized tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
