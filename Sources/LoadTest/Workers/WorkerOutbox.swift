import JobAPI
import Synchronization

/// What one simulated worker sends on its JobStream, across reconnects: numbers sequenced
/// messages, keeps each until the server acknowledges it, resends the rest after a
/// re-attach, and remembers which jobs it holds (to answer AttachRequest and drop duplicate
/// assignments). One lock orders numbering and queueing, so the writer sends in sequence.
final class WorkerOutbox: Sendable {
    private struct Pending {
        var message: Hodei_V1_WorkerMessage
        /// Set for a JobResult: the job whose result this is.
        var resultOf: Hodei_V1_JobAttempt?
    }

    private struct State {
        var nextSequence: UInt64 = 1
        var unacked: [Pending] = []
        var acknowledged: UInt64 = 0
        var sink: AsyncStream<Hodei_V1_WorkerMessage>.Continuation?
        /// Accepted attempts without a result yet, by job id.
        var running: [String: UInt32] = [:]
        /// Attempts whose result was sent but not acknowledged, by job id.
        var resultPending: [String: UInt32] = [:]
    }

    private let state = Mutex(State())

    /// Takes an assignment: false if this attempt is already held (a resent assignment).
    func take(_ jobID: String, attempt: UInt32) -> Bool {
        state.withLock { state in
            if state.running[jobID] == attempt || state.resultPending[jobID] == attempt { return false }
            state.running[jobID] = attempt
            return true
        }
    }

    /// Queues JobAccepted, and the JobResult right after it when `finished` (no-op executor).
    func accept(_ jobID: String, attempt: UInt32, finished: Bool) {
        state.withLock { state in
            var accepted = Hodei_V1_JobAccepted()
            accepted.jobId = jobID
            accepted.attempt = attempt
            enqueue(.accepted(accepted), resultOf: nil, &state)
            if finished { finish(jobID, attempt: attempt, state: .succeeded, &state) }
        }
    }

    /// Queues the JobResult of a running attempt; false if the attempt is no longer held
    /// (the server orphaned it, or it was cancelled).
    @discardableResult
    func finish(_ jobID: String, attempt: UInt32, state final: Hodei_V1_JobState = .succeeded) -> Bool {
        state.withLock { state in
            guard state.running[jobID] == attempt else { return false }
            finish(jobID, attempt: attempt, state: final, &state)
            return true
        }
    }

    private func finish(_ jobID: String, attempt: UInt32, state final: Hodei_V1_JobState, _ state: inout State) {
        state.running[jobID] = nil
        state.resultPending[jobID] = attempt
        var result = Hodei_V1_JobResult()
        result.jobId = jobID
        result.attempt = attempt
        result.termination = .exitCode(final == .succeeded ? 0 : 1)
        result.finalState = final
        var done = Hodei_V1_JobAttempt()
        done.jobId = jobID
        done.attempt = attempt
        enqueue(.result(result), resultOf: done, &state)
    }

    private func enqueue(_ kind: Hodei_V1_WorkerMessage.Kind, resultOf: Hodei_V1_JobAttempt?, _ state: inout State) {
        var message = Hodei_V1_WorkerMessage()
        message.sequence = state.nextSequence
        message.kind = kind
        state.nextSequence += 1
        state.unacked.append(Pending(message: message, resultOf: resultOf))
        state.sink?.yield(message)
    }

    /// Sends a heartbeat if a stream is attached (heartbeats are neither sequenced nor kept);
    /// true if it went out.
    func heartbeat(workerID: String) -> Bool {
        var heartbeat = Hodei_V1_Heartbeat()
        heartbeat.workerId = workerID
        var message = Hodei_V1_WorkerMessage()
        message.kind = .heartbeat(heartbeat)
        return state.withLock { state in
            guard let sink = state.sink else { return false }
            sink.yield(message)
            return true
        }
    }

    /// The server durably processed everything up to `sequence`: frees those messages and
    /// returns the jobs whose results that covers.
    func acknowledge(upTo sequence: UInt64) -> [String] {
        state.withLock { state in acknowledge(upTo: sequence, &state) }
    }

    private func acknowledge(upTo sequence: UInt64, _ state: inout State) -> [String] {
        guard sequence > state.acknowledged else { return [] }
        state.acknowledged = sequence
        var count = 0
        var finished: [String] = []
        for pending in state.unacked {
            guard pending.message.sequence <= sequence else { break }
            count += 1
            if let done = pending.resultOf, state.resultPending[done.jobId] == done.attempt {
                state.resultPending[done.jobId] = nil
                finished.append(done.jobId)
            }
        }
        state.unacked.removeFirst(count)
        return finished
    }

    /// What the AttachRequest reports: running attempts, results not yet acknowledged, and
    /// the highest acknowledged sequence.
    func attachReport() -> (running: [Hodei_V1_JobAttempt], pendingResults: [Hodei_V1_JobAttempt], lastAck: UInt64) {
        func attempts(_ map: [String: UInt32]) -> [Hodei_V1_JobAttempt] {
            map.map { id, number in
                var attempt = Hodei_V1_JobAttempt()
                attempt.jobId = id
                attempt.attempt = number
                return attempt
            }
        }
        return state.withLock { state in (attempts(state.running), attempts(state.resultPending), state.acknowledged) }
    }

    /// A new stream is attached: what the AttachAck says the server has is acknowledged (its
    /// finished jobs returned), orphaned attempts are forgotten, and everything else
    /// unacknowledged is queued again, in order, ahead of new messages.
    func connect(lastReceived: UInt64, orphaned: [Hodei_V1_JobAttempt]) -> (AsyncStream<Hodei_V1_WorkerMessage>, [String]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Hodei_V1_WorkerMessage.self)
        let finished = state.withLock { state -> [String] in
            let finished = acknowledge(upTo: lastReceived, &state)
            for orphan in orphaned {
                if state.running[orphan.jobId] == orphan.attempt { state.running[orphan.jobId] = nil }
                if state.resultPending[orphan.jobId] == orphan.attempt { state.resultPending[orphan.jobId] = nil }
            }
            state.sink?.finish()
            for pending in state.unacked { continuation.yield(pending.message) }
            state.sink = continuation
            return finished
        }
        return (stream, finished)
    }

    /// The stream is gone: new messages wait in the buffer for the next attach.
    func disconnect() {
        state.withLock { state in
            state.sink?.finish()
            state.sink = nil
        }
    }

    var heldJobs: Int { state.withLock { $0.running.count + $0.resultPending.count } }
}
