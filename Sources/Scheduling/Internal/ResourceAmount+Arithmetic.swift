/// Saturating arithmetic for allocation bookkeeping: totals never wrap around.
extension ResourceAmount {
    mutating func add(_ other: ResourceAmount) {
        cpuMillicores = cpuMillicores.addingClamped(other.cpuMillicores)
        memoryMB = memoryMB.addingClamped(other.memoryMB)
        gpus = gpus.addingClamped(other.gpus)
    }

    mutating func subtract(_ other: ResourceAmount) {
        cpuMillicores = cpuMillicores.subtractingClamped(other.cpuMillicores)
        memoryMB = memoryMB.subtractingClamped(other.memoryMB)
        gpus = gpus.subtractingClamped(other.gpus)
    }
}

extension UInt32 {
    func subtractingClamped(_ other: UInt32) -> UInt32 { self > other ? self - other : 0 }

    func addingClamped(_ other: UInt32) -> UInt32 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
