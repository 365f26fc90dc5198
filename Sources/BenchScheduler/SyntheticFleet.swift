import Scheduling

/// A heterogeneous fleet and a stream of mixed jobs, reproducible from a seed.
///
/// Workers: 4-64 cores, 2-4 GB per core (8-256 GB), two jobs per core at most, an `os` and a
/// `zone` label, a unique `host` label, and 1 in 20 with 4 GPUs and `gpu=a100`. Jobs: 20 % high,
/// 60 % normal, 20 % low; 0.25-8 cores and 256 MB-16 GB from fixed menus; 70 % without label
/// constraints, the rest asking for a zone, an os, or (2 %) a GPU.
struct SyntheticFleet {
    private static let cores: [UInt32] = [4, 8, 16, 32, 64]
    private static let zones = ["a", "b", "c"]
    private static let jobCPU: [UInt32] = [250, 500, 1000, 1000, 2000, 4000, 8000]
    private static let jobMemory: [UInt32] = [256, 512, 1024, 2048, 2048, 4096, 8192, 16384]

    private var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func worker(_ index: Int) -> SchedulableWorker {
        let cores = Self.cores.randomElement(using: &generator)!
        let gigabytesPerCore = UInt32.random(in: 2...4, using: &generator)
        let hasGPUs = Int.random(in: 0..<20, using: &generator) == 0
        var labels = [
            "os": Int.random(in: 0..<10, using: &generator) == 0 ? "windows" : "linux",
            "zone": Self.zones.randomElement(using: &generator)!,
            "host": "w\(index)",
        ]
        if hasGPUs { labels["gpu"] = "a100" }
        return SchedulableWorker(
            id: "w\(index)",
            capacity: ResourceAmount(
                cpuMillicores: cores * 1000, memoryMB: min(cores * gigabytesPerCore, 256) * 1024,
                gpus: hasGPUs ? 4 : 0),
            maxJobs: Int(cores) * 2, labels: labels)
    }

    mutating func job(_ index: Int) -> SchedulableJob {
        let roll = Int.random(in: 0..<100, using: &generator)
        let priority: SchedulingPriority = roll < 20 ? .high : roll < 80 ? .normal : .low
        var resources = ResourceAmount(
            cpuMillicores: Self.jobCPU.randomElement(using: &generator)!,
            memoryMB: Self.jobMemory.randomElement(using: &generator)!)
        var labels: [String: String] = [:]
        switch Int.random(in: 0..<100, using: &generator) {
        case 0..<70: break
        case 70..<85: labels["zone"] = Self.zones.randomElement(using: &generator)!
        case 85..<98: labels["os"] = "linux"
        default:
            labels["gpu"] = "a100"
            resources.gpus = 1
        }
        return SchedulableJob(id: "j\(index)", priority: priority, resources: resources, requiredLabels: labels)
    }

    mutating func index(below count: Int) -> Int {
        Int.random(in: 0..<count, using: &generator)
    }
}

/// SplitMix64: small, fast and seedable.
struct SplitMix64: RandomNumberGenerator {
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
