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

    /// The mutations of each call, with the overwritten row writes left out.
    static func coalesce(_ calls: [[StoreMutation]]) -> [[StoreMutation]] {
        var insertedAt: [String: Position] = [:]
        var firstUpdate: [String: Position] = [:]
        var lastUpdate: [String: Position] = [:]
        var untouchable: Set<String> = []
        var repeated = false
        for (call, mutations) in calls.enumerated() {
            for (index, mutation) in mutations.enumerated() {
                let position = Position(call: call, index: index)
                switch mutation {
                case .insertJob(let stored):
                    insertedAt[stored.job.id] = position
                case .updateJobStatus(let stored):
                    let id = stored.job.id
                    if lastUpdate[id] != nil || insertedAt[id] != nil { repeated = true }
                    if firstUpdate[id] == nil { firstUpdate[id] = position }
                    lastUpdate[id] = position
                case .updateJob(let stored):
                    untouchable.insert(stored.job.id)
                default:
                    break
                }
            }
        }
        // An update before its job's insert fails as it would have, and one that changes the
        // spec would change the labels the insert writes: such a job is left alone.
        for (id, inserted) in insertedAt {
            guard let first = firstUpdate[id], let last = lastUpdate[id] else { continue }
            if first < inserted {
                untouchable.insert(id)
            } else if case .insertJob(let insert) = calls[inserted.call][inserted.index],
                      case .updateJobStatus(let latest) = calls[last.call][last.index], insert.job.spec != latest.job.spec {
                untouchable.insert(id)
            }
        }
        // Nothing overwritten: the common case costs this one scan.
        guard repeated else { return calls }

        var result = calls
        for (call, mutations) in calls.enumerated() {
            var kept: [StoreMutation] = []
            kept.reserveCapacity(mutations.count)
            // Set when this call's mutations change (one left out, or an insert folded into).
            var changed = false
            for (index, mutation) in mutations.enumerated() {
                let position = Position(call: call, index: index)
                switch mutation {
                case .insertJob(var stored) where !untouchable.contains(stored.job.id):
                    if let last = lastUpdate[stored.job.id], last > position, case .updateJobStatus(let latest) = calls[last.call][last.index] {
                        stored.job = latest.job
                        changed = true
                    }
                    kept.append(.insertJob(stored))
                case .updateJobStatus(let stored) where !untouchable.contains(stored.job.id):
                    let id = stored.job.id
                    let overwritten = lastUpdate[id] != position
                    let foldedIntoInsert = insertedAt[id].map { $0 < position } ?? false
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
