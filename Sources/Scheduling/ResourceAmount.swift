/// An amount of the three resources a job asks for and a worker offers.
public struct ResourceAmount: Hashable, Sendable {
    public var cpuMillicores: UInt32
    public var memoryMB: UInt32
    public var gpus: UInt32

    public init(cpuMillicores: UInt32 = 0, memoryMB: UInt32 = 0, gpus: UInt32 = 0) {
        self.cpuMillicores = cpuMillicores
        self.memoryMB = memoryMB
        self.gpus = gpus
    }

    public static let zero = ResourceAmount()

    /// Whether `other` fits inside this amount in every dimension.
    public func contains(_ other: ResourceAmount) -> Bool {
        cpuMillicores >= other.cpuMillicores && memoryMB >= other.memoryMB && gpus >= other.gpus
    }
}
