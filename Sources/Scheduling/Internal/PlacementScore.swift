/// How good a feasible worker is for a job; the highest score wins (ties: the lowest slot).
///
/// With `u` the fraction of a dimension's capacity in use *after* the placement, and the target
/// band `lo...hi` (60-85 % by default):
///
///     fit(u) = u / hi                                  if u <= hi
///            = (lo / hi) * (1 - u) / (1 - hi)           if u >  hi
///
///     score  = 0.35 * fit(cpu) + 0.35 * fit(memory)
///            + 0.15 * (1 - jobsAfter / maxJobs)         load balance: fewer running processes
///            + 0.15 * health                            0...1, 1 = healthy
///
/// Below the band, fuller is better (bin packing: fill a worker before opening an empty one, so
/// that big jobs still find room); `fit` peaks at 1 on the band's top edge. Past it, `fit` drops
/// below `lo / hi`, which is the value at the band's bottom edge, so in each dimension a worker
/// that would land inside the band beats one that would overshoot it, and an overshoot of the
/// whole capacity scores like an empty worker. GPUs are a hard filter only. A dimension the
/// worker has none of (capacity 0) counts as unused.
struct PlacementScore: Sendable {
    static let cpuWeight: Float = 0.35
    static let memoryWeight: Float = 0.35
    static let loadBalanceWeight: Float = 0.15
    static let healthWeight: Float = 0.15

    private let high: Float
    private let inverseHigh: Float
    private let overshootSlope: Float

    init(target: ClosedRange<Double>) {
        let high = Float(min(max(target.upperBound, 0.01), 1))
        let low = Float(min(max(target.lowerBound, 0), Double(high)))
        self.high = high
        self.inverseHigh = 1 / high
        self.overshootSlope = high < 1 ? (low / high) / (1 - high) : 0
    }

    @inline(__always)
    func fit(_ utilization: Float) -> Float {
        utilization <= high ? utilization * inverseHigh : overshootSlope * (1 - utilization)
    }

    /// The part of the score that does not depend on the job: load balance and health, for a
    /// worker running `jobs` jobs now (the placement would make it `jobs + 1`).
    func baseScore(jobs: Int, maxJobs: Int, health: Double) -> Float {
        let loadBalance = maxJobs > 0 ? 1 - Float(min(jobs + 1, maxJobs)) / Float(maxJobs) : 0
        return Self.loadBalanceWeight * loadBalance + Self.healthWeight * Float(health)
    }

    /// The full score of placing `request` on `slot`, which must have room for it.
    @inline(__always)
    func score(_ slot: WorkerIndex.Slot, cpu: UInt32, memory: UInt32) -> Float {
        let cpuAfter = Float(slot.capacityCPU &- slot.freeCPU &+ cpu) * slot.inverseCPU
        let memoryAfter = Float(slot.capacityMemory &- slot.freeMemory &+ memory) * slot.inverseMemory
        return Self.cpuWeight * fit(cpuAfter) + Self.memoryWeight * fit(memoryAfter) + slot.baseScore
    }
}
