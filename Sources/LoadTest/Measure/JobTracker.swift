import Synchronization

/// The table shared by submitters and simulated workers in one process: job id → the
/// instants of its submission, assignment and durable result, so that submit → assign and
/// submit → result are measured on one clock. Events may arrive in any order (the server
/// can assign a job before its SubmitJob answer reaches the submitter).
final class JobTracker: Sendable {
    private struct Entry {
        var submittedAt: UInt64?
        var assignedAt: UInt64?
        var completedAt: UInt64?
        var succeeded = true
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var finished: Set<String> = []
        var submitLatency = LatencyRecorder()
        var assignLatency = LatencyRecorder()
        var resultLatency = LatencyRecorder()
        var watchLatency = LatencyRecorder()
        var submitted = 0
        var completed = 0
        var failed = 0
        var duplicateResults = 0
        var firstSubmitAt: UInt64?
        var lastCompletedAt: UInt64?
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    /// Released once per finished job: bounds jobs in flight end to end (nil: unbounded).
    let window: AsyncLimiter?

    init(window: AsyncLimiter? = nil) {
        self.window = window
    }

    /// A SubmitJob call for `jobID` started at `start` and was answered at `answered`.
    func submitted(_ jobID: String, start: UInt64, answered: UInt64) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.submitted += 1
            state.submitLatency.record(from: start, to: answered)
            if state.firstSubmitAt.map({ start < $0 }) ?? true { state.firstSubmitAt = start }
            var entry = state.entries[jobID] ?? Entry()
            entry.submittedAt = start
            if let assigned = entry.assignedAt { state.assignLatency.record(from: start, to: assigned) }
            return settle(jobID, entry, &state)
        }
        for waiter in ready { waiter.resume() }
    }

    /// A simulated worker received the job's assignment.
    func assigned(_ jobID: String, at instant: UInt64) {
        state.withLock { state in
            guard !state.finished.contains(jobID) else { return }
            var entry = state.entries[jobID] ?? Entry()
            guard entry.assignedAt == nil else { return }
            entry.assignedAt = instant
            if let submitted = entry.submittedAt { state.assignLatency.record(from: submitted, to: instant) }
            state.entries[jobID] = entry
        }
    }

    /// The job's result is durable (its JobResult was acknowledged, or a watcher saw the end).
    func completed(_ jobID: String, at instant: UInt64, succeeded: Bool = true) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.finished.contains(jobID) else {
                state.duplicateResults += 1
                return []
            }
            var entry = state.entries[jobID] ?? Entry()
            guard entry.completedAt == nil else {
                state.duplicateResults += 1
                return []
            }
            entry.completedAt = instant
            entry.succeeded = succeeded
            return settle(jobID, entry, &state)
        }
        for waiter in ready { waiter.resume() }
    }

    /// A WatchJob follower saw the job end `at` (latency from its submission).
    func watched(_ jobID: String, submittedAt start: UInt64, at instant: UInt64) {
        state.withLock { $0.watchLatency.record(from: start, to: instant) }
    }

    /// Stores `entry`, or retires it once both its submission and completion are known.
    private func settle(_ jobID: String, _ entry: Entry, _ state: inout State) -> [CheckedContinuation<Void, Never>] {
        guard let submitted = entry.submittedAt, let completed = entry.completedAt else {
            state.entries[jobID] = entry
            return []
        }
        state.entries[jobID] = nil
        state.finished.insert(jobID)
        state.resultLatency.record(from: submitted, to: completed)
        state.completed += 1
        if !entry.succeeded { state.failed += 1 }
        if state.lastCompletedAt.map({ completed > $0 }) ?? true { state.lastCompletedAt = completed }
        window?.release()
        let completedCount = state.completed
        var ready: [CheckedContinuation<Void, Never>] = []
        state.waiters.removeAll { waiter in
            guard waiter.count <= completedCount else { return false }
            ready.append(waiter.continuation)
            return true
        }
        return ready
    }

    /// Returns once `count` jobs have completed, or after `timeout`; true if they did.
    func waitForCompletions(_ count: Int, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let done = self.state.withLock { state -> Bool in
                        if state.completed >= count { return true }
                        state.waiters.append((count, continuation))
                        return false
                    }
                    if done { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                // Timed out: wake the waiter so the group can end.
                let stranded = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    defer { state.waiters.removeAll() }
                    return state.waiters.map(\.continuation)
                }
                for waiter in stranded { waiter.resume() }
            }
            group.cancelAll()
            return first && state.withLock { $0.completed >= count }
        }
    }

    /// Forgets every job and figure (after a warm-up whose jobs have all completed).
    func reset() {
        state.withLock { state in
            precondition(state.waiters.isEmpty, "reset while waiting for completions")
            state = State()
        }
    }

    /// Figures so far.
    var snapshot: TrackerSnapshot {
        state.withLock { state in
            TrackerSnapshot(
                submitted: state.submitted, completed: state.completed, failed: state.failed,
                duplicateResults: state.duplicateResults,
                unmatched: state.entries.values.filter { $0.submittedAt == nil }.count,
                firstSubmitAt: state.firstSubmitAt, lastCompletedAt: state.lastCompletedAt,
                submit: state.submitLatency.summary, assign: state.assignLatency.summary,
                result: state.resultLatency.summary, watch: state.watchLatency.summary
            )
        }
    }

    /// Ids of submitted jobs whose completion was never seen.
    var unfinishedJobIDs: [String] {
        state.withLock { state in state.entries.compactMap { $0.value.submittedAt != nil ? $0.key : nil } }
    }
}

/// A copy of the tracker's counters and latency summaries.
struct TrackerSnapshot: Sendable {
    var submitted: Int
    var completed: Int
    var failed: Int
    var duplicateResults: Int
    /// Results for job ids no submitter here reported (e.g. the warm-up's, or another run's).
    var unmatched: Int
    var firstSubmitAt: UInt64?
    var lastCompletedAt: UInt64?
    var submit: LatencySummary
    var assign: LatencySummary
    var result: LatencySummary
    var watch: LatencySummary

    /// Completed jobs per second from the first submission to the last result.
    var throughput: Double {
        guard let first = firstSubmitAt, let last = lastCompletedAt, last > first else { return 0 }
        return Double(completed) / MonotonicTime.seconds(from: first, to: last)
    }
}
