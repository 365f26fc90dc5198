import JobAPI

extension JobStore {
    /// The highest event sequence stored for a job (0 when none): where a restarted server
    /// continues numbering.
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

    /// The highest LogEntry.sequence stored for one attempt (0 when none).
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
