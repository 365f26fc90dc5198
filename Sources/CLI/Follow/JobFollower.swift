import JobAPI
import ProtoRPC
import RPCCore

/// Follows one job with WatchJob until it reaches a terminal state, resuming after a broken
/// stream from the last sequence seen + 1, so that every event is handled once and in order.
///
/// Gives up after ``reconnectDelays``.count consecutive failed attempts (a stream that
/// delivers any event resets the count). OUT_OF_RANGE (history no longer kept) restarts once
/// from a snapshot.
struct JobFollower {
    /// What the follower hands to its caller, in order.
    enum Update {
        /// A job event, never the same sequence twice.
        case event(Hodei_V1_JobEvent)
        /// Something to tell the user on standard error (a reconnect, a restart).
        case notice(String)
    }

    /// How the job ended.
    struct Ending {
        var state: Hodei_V1_JobState
        /// The current attempt's result (fetched with GetJob if no event carried it).
        var result: Hodei_V1_JobResult?
        /// The reason of the terminal state change, or the job's state message.
        var message: String
    }

    let connection: HodeiConnection
    let jobID: String
    var includeLogs: Bool
    /// 1 replays the job's whole history (every log line); 0 starts from a snapshot.
    var fromSequence: UInt64 = 1
    static let reconnectDelays: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(2),
                                              .seconds(2), .seconds(2), .seconds(2)]

    /// Runs until the job's terminal state.
    /// - Throws: ``CLIError`` for an RPC failure that retrying cannot mend; what `handle` throws.
    func run(_ handle: (Update) throws -> Void) async throws -> Ending {
        var next = fromSequence
        var failures = 0
        var result: Hodei_V1_JobResult?
        var restartedFromSnapshot = false
        while true {
            var lastError: RPCError
            do {
                var request = Hodei_V1_WatchJobRequest()
                request.jobId = jobID
                request.fromSequence = next
                request.includeLogs = includeLogs
                let stream = try await connection.jobs.watchJob(request, metadata: connection.metadata)
                for try await event in stream {
                    if event.sequence > 0 && event.sequence < next { continue }
                    failures = 0
                    if event.sequence >= next { next = event.sequence + 1 }
                    try handle(.event(event))
                    switch event.kind {
                    case .result(let reported):
                        result = reported
                    case .snapshot(let job):
                        result = job.result ?? result
                        if JobText.isTerminal(job.state) {
                            stream.cancel()
                            return try await ending(Ending(state: job.state, result: result, message: job.stateMessage))
                        }
                    case .stateChanged(let change) where JobText.isTerminal(change.state):
                        stream.cancel()
                        return try await ending(Ending(state: change.state, result: result, message: change.reason))
                    case .stateChanged, .progress, .log, nil:
                        break
                    }
                }
                lastError = RPCError(code: .unavailable, message: "the server ended the stream before the job finished")
            } catch let error as RPCError {
                switch error.code {
                case .outOfRange where !restartedFromSnapshot:
                    restartedFromSnapshot = true
                    try handle(.notice("older events of job \(jobID) are no longer kept; following from its current state"))
                    next = 0
                    continue
                case .unavailable, .cancelled, .unknown, .internal, .aborted, .deadlineExceeded, .dataLoss:
                    lastError = error
                default:
                    throw connection.failure(error, subject: .job(jobID))
                }
            }
            guard failures < Self.reconnectDelays.count else { throw connection.failure(lastError, subject: .job(jobID)) }
            if failures == 0 { try handle(.notice("lost the event stream of job \(jobID) (\(lastError.code)); resuming")) }
            try await Task.sleep(for: Self.reconnectDelays[failures])
            failures += 1
        }
    }

    /// Fills in the result from GetJob when no event carried it (it is unset for jobs that
    /// never ran, so only ask when there should be one).
    private func ending(_ ending: Ending) async throws -> Ending {
        guard ending.result == nil, [.succeeded, .failed, .timedOut].contains(ending.state) else { return ending }
        var request = Hodei_V1_GetJobRequest()
        request.jobId = jobID
        let job = try await connection.unary(.job(jobID)) { try await connection.jobs.getJob(request, metadata: $0, options: $1) }
        var filled = ending
        filled.result = job.result
        if filled.message.isEmpty { filled.message = job.stateMessage }
        return filled
    }
}
