import JobAPI

/// Where a running job's reports go: the outbox in the agent, a recorder in tests.
protocol JobEventSink: Sendable {
    /// A log line or progress report of a running job. Called on the job's output thread, in
    /// order; may block, which stops the thread reading the job's pipes (backpressure: the
    /// job then blocks in its own writes).
    func jobOutput(_ message: Hodei_V1_WorkerMessage.Kind, of job: JobKey)

    /// The attempt's result: called once, on the job's output thread, after its last output.
    func jobFinished(_ result: Hodei_V1_JobResult, of job: JobKey)
}
