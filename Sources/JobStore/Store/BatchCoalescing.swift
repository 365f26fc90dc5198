import JobAPI

/// Folds the writes of one group transaction that overwrite each other: a job's row written
/// several times in one batch (its insert and its placement, an acceptance and a result that
/// arrived together) is written once, with its last value. The transaction's outcome is the
/// same; SQLite rewrites the row and its indexes once instead of each time.
///
/// Only `updateJobStatus` is folded, since it replaces the whole row but not what was fixed at
/// insert (submit order, idempotency key, creation time, labels); into an `insertJob` earlier in
/// the batch it folds as that insert with the later job message. An update that comes before
/// its job's insert is left alone (it fails, as it would have), and so is every write of a job
/// whose spec an update changes or that also has an `updateJob` (both would change its labels).
enum BatchCoalescing {
    private struct Position: Comparable {
        var call: Int
        var index: Int
        static func < (a: Position, b: Position) -> Bool { (a.call, a.index) < (b.call, b.index) }
    }

    /// A job's row writes in the batch. One entry per job, so that each mutation costs one
    /// hash of its job id (the lookups were 5 % of the server's CPU at full dispatch load).
    private struct RowWrites {
        var inserted: Position?
        var firstUpdate: Position?
        var lastUpdate: Position?
        /// The job's writes are left as queued.
        var untouchable = false

        /// Records a status update; true when it overwrites an earlier write of the batch.
        mutating func noteUpdate(at position: Position) -> Bool {
            let overwrites = lastUpdate != nil || inserted != nil
            if firstUpdate == nil { firstUpdate = position }
            lastUpdate = position
            return overwrites
        }
    }

    /// The mutations of each call, with the overwritten row writes left out.
    static func coalesce(_ calls: [[StoreMutation]]) -> [[StoreMutation]] {
        var jobs: [String: RowWrites] = [:]
        jobs.reserveCapacity(calls.reduce(0) { $0 + $1.count })
        var repeated = false
        for (call, mutations) in calls.enumerated() {
            for (index, mutation) in mutations.enumerated() {
                let position = Position(call: call, index: index)
                switch mutation {
                case .insertJob(let stored):
                    jobs[stored.job.id, default: RowWrites()].inserted = position
                case .updateJobStatus(let stored):
                    if jobs[stored.job.id, default: RowWrites()].noteUpdate(at: position) { repeated = true }
                case .updateJob(let stored):
                    jobs[stored.job.id, default: RowWrites()].untouchable = true
                default:
                    break
                }
            }
        }
        // Nothing overwritten: the common case costs this one scan.
        guard repeated else { return calls }

        // An update before its job's insert fails as it would have, and one that changes the
        // spec would change the labels the insert writes: such a job is left alone.
        for index in jobs.values.indices {
            let writes = jobs.values[index]
            guard let inserted = writes.inserted, let first = writes.firstUpdate, let last = writes.lastUpdate else { continue }
            if first < inserted {
                jobs.values[index].untouchable = true
            } else if case .insertJob(let insert) = calls[inserted.call][inserted.index],
                      case .updateJobStatus(let latest) = calls[last.call][last.index], insert.job.spec != latest.job.spec {
                jobs.values[index].untouchable = true
            }
        }

        var result = calls
        for (call, mutations) in calls.enumerated() {
            var kept: [StoreMutation] = []
            kept.reserveCapacity(mutations.count)
            // Set when this call's mutations change (one left out, or an insert folded into).
            var changed = false
            for (index, mutation) in mutations.enumerated() {
                let position = Position(call: call, index: index)
                switch mutation {
                case .insertJob(var stored):
                    guard let writes = jobs[stored.job.id], !writes.untouchable else {
                        kept.append(mutation)
                        continue
                    }
                    if let last = writes.lastUpdate, last > position, case .updateJobStatus(let latest) = calls[last.call][last.index] {
                        stored.job = latest.job
                        changed = true
                    }
                    kept.append(.insertJob(stored))
                case .updateJobStatus(let stored):
                    guard let writes = jobs[stored.job.id], !writes.untouchable else {
                        kept.append(mutation)
                        continue
                    }
                    let overwritten = writes.lastUpdate != position
                    let foldedIntoInsert = writes.inserted.map { $0 < position } ?? false
                    if overwritten || foldedIntoInsert {
                        changed = true
                    } else {
                        kept.append(mutation)
                    }
                default:
                    kept.append(mutation)
                }
            }
            if changed { result[call] = kept }
        }
        return result
    }
}
