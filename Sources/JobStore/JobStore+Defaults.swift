import JobAPI

/// Implementations over the paged reads, for stores without a cheaper way.
extension JobStore {
    public func lastEventSequence(jobID: String) async throws -> UInt64 {
        var last: UInt64 = 0
        var from: UInt64 = 0
        while true {
            let page = try await events(jobID: jobID, fromSequence: from, includeLogs: true, limit: 10_000)
            guard let tail = page.last else { return last }
            last = tail.sequence
            from = tail.sequence + 1
        }
    }

    public func lastLogSequence(jobID: String, attempt: UInt32) async throws -> UInt64 {
        var last: UInt64 = 0
        var from: UInt64 = 0
        while true {
            let page = try await logs(jobID: jobID, attempt: attempt, fromSequence: from, stream: nil, limit: 10_000)
            guard let tail = page.last else { return last }
            last = tail.sequence
            from = tail.sequence + 1
        }
    }
}
