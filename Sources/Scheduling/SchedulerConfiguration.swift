/// How the scheduler shares placements between priorities and how full it tries to pack workers.
public struct SchedulerConfiguration: Sendable {
    /// Jobs taken from each priority per round (high, normal, low in turn). Weights below 1 count
    /// as 1, so that no priority starves; a missing priority counts as 1 too.
    public var batchWeights: [SchedulingPriority: Int]

    /// The utilization band (fraction of CPU and of memory) placement aims at. The score fills
    /// workers up to the top of the band and treats going over it as the last resort (see
    /// `PlacementScore`); the bottom only matters to whoever reports how many workers are in it.
    public var targetUtilization: ClosedRange<Double>

    /// - Parameters:
    ///   - batchWeights: jobs per round for each priority; by default 6 high, 3 normal, 1 low.
    ///   - targetUtilization: the band placements aim at; by default 60-85 %.
    public init(
        batchWeights: [SchedulingPriority: Int] = [.high: 6, .normal: 3, .low: 1],
        targetUtilization: ClosedRange<Double> = 0.60...0.85
    ) {
        self.batchWeights = batchWeights
        self.targetUtilization = targetUtilization
    }
}
