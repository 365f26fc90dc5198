import JobAPI

extension JobFollower {
    /// Follows the job, showing its logs, progress and requeues through `output`; finishes the
    /// output when the job has ended (or following failed).
    /// Ctrl-C meanwhile stops following (see ``InterruptHandler``).
    func run(showing output: LiveOutput) async throws -> Ending {
        InterruptHandler.install(onTerminal: Terminal.shared.stderrIsTTY)
        defer {
            InterruptHandler.remove()
            output.finish()
        }
        return try await run { update in
            switch update {
            case .notice(let text):
                output.notice(text)
            case .event(let event):
                switch event.kind {
                case .log(let entry):
                    try output.log(entry)
                case .progress(let report):
                    output.progress(report.progress ?? Hodei_V1_Progress())
                case .snapshot(let job):
                    if let progress = job.progress { output.progress(progress) }
                case .stateChanged(let change) where change.state == .queued && change.attempt > 1:
                    let reason = change.reason.isEmpty ? "" : ": " + CLIError.oneLine(change.reason)
                    output.notice("job \(jobID) requeued\(reason) (attempt \(change.attempt))")
                case .stateChanged, .result, nil:
                    break
                }
            }
        }
    }
}
