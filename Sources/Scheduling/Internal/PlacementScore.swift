/// How good a feasible worker is for a job; the highest score wins (ties: the lowest slot).
///
/// With `u` the fraction of a dimension's capacity in use *after* the placement, and `hi` the
/// top of the target band (85 % by default):
///
///     fit(u) = u / hi                      if u <= hi    0...1, best on the band's top edge
///            = -(u - hi) / (1 - hi)        if u >  hi    -1...0, overshooting the band
///
///     score  = 0.35 * fit(cpu) + 0.35 * fit(memory)
///            + 0.15 * (1 - jobsAfter / maxJobs)         load balance: fewer running processes
///            + 0.15 * health                            0...1, 1 = healthy
///
/// Up to the band's top, fuller is better: bin packing fills a worker into the band before
/// opening an emptier one, which keeps whole workers free for big jobs. Past the top, `fit` goes
/// negative, so in each dimension any worker that stays at or below 85 % beats any worker that
/// would go over it; overshooting is the last resort, and then the smaller overshoot wins. With
/// random arrivals and departures this keeps most busy workers inside 60-85 % (see the
/// benchmark's "workers in band"). GPUs are a hard filter only. A dimension the worker has none
/// of (capacity 0) counts as unused.
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
        self.high = high
        self.inverseHigh = 1 / high
        self.overshootSlope = high < 1 ? 1 / (1 - high) : 0
    }

    @inline(__always)
    func fit(_ utilization: Float) -> Float {
        utilization <= high ? utilization * inverseHigh : overshootSlope * (high - utilization)
    }

    /// The part of the score that does not depend on the job: load balance and health, for a
    /// worker running `jobs` jobs now (the placement would make it `jobs + 1`).
    func baseScore(jobs: Int, maxJobs: Int, health: Double) -> Float {
        let loadBalance = maxJobs > 0 ? 1 - Float(min(jobs + 1, maxJobs)) / Float(maxJobs) : 0
        return Self.loadBalanceWeight * loadBalance + Self.healthWeight * Float(health)
    }

    /// The full score of placing `request` on `slot`, which must have room for it.
    @inline(__always)
    func score(_ slot: WorkerIndex.Slot, cpu: Float, memory: Float) -> Float {
        let cpuAfter = slot.usedCPU + cpu * slot.inverseCPU
        let memoryAfter = slot.usedMemory + memory * slot.inverseMemory
        return Self.cpuWeight * fit(cpuAfter) + Self.memoryWeight * fit(memoryAfter) + slot.baseScore
    }
}
