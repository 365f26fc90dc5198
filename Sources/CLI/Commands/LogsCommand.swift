import ArgumentParser
import JobAPI
import RPCCore

/// `hodei logs ID [--attempt N] [--stream S] [-f] [--json]`: a job's output.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a job's output.",
        usage: "hodei logs <job-id> [--attempt <n>] [--stream stdout|stderr] [-f] [--json] [<connection options>]",
        discussion: """
        The job's stdout goes to stdout and its stderr to stderr, byte for byte. With --follow, \
        every attempt's output from the start, then live until the job ends. --json writes one \
        LogEntry per line (JSON Lines; 'line' is base64, as proto3 JSON encodes bytes).
        """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Which attempt (default: the current one; with --follow: all).", valueName: "n"))
    var attempt: UInt32?

    @Option(help: "Only this stream: stdout or stderr.")
    var stream: LogStreamArgument?

    @Flag(name: [.short, .long], help: "Keep printing new output until the job ends.")
    var follow = false

    @Flag(help: "Print log entries as JSON Lines.")
    var json = false

    @Argument(help: ArgumentHelp("The job's id.", valueName: "job-id"))
    var jobID: String

    /// GetJobLogs says NOT_FOUND for a missing job and for an attempt that has not started;
    /// GetJob tells which.
    static func explainMissingLogs(connection: HodeiConnection, jobID: String, attempt: UInt32) async throws -> CLIError {
        var request = Hodei_V1_GetJobRequest()
        request.jobId = jobID
        let job = try await connection.unary(.job(jobID)) { try await connection.jobs.getJob(request, metadata: $0, options: $1) }
        if attempt > job.attempt { return CLIError("job \(jobID) has no attempt \(attempt) (its latest is \(job.attempt))") }
        return CLIError("job \(jobID) has no logs yet (\(JobText.state(job.state)))")
    }

    /// Pages read at most, whatever the server answers.
    static let maxPages = 100_000

    func run() async throws {
        let output = LiveOutput(showProgress: false, json: json, streams: stream.map { [$0.proto] }, attempt: follow ? attempt : nil)
        try await connection.withConnection { connection in
            if follow {
                let follower = JobFollower(connection: connection, jobID: jobID, includeLogs: true)
                _ = try await follower.run(showing: output)
                return
            }
            defer { output.finish() }
            var request = Hodei_V1_GetJobLogsRequest()
            request.jobId = jobID
            request.attempt = attempt ?? 0
            request.stream = stream?.proto ?? .unspecified
            request.fromSequence = 1
            for _ in 0..<Self.maxPages {
                let page: Hodei_V1_GetJobLogsResponse
                do {
                    page = try await connection.unary(.job(jobID)) { try await connection.jobs.getJobLogs(request, metadata: $0, options: $1) }
                } catch let error as CLIError where error.code == .notFound {
                    throw try await Self.explainMissingLogs(connection: connection, jobID: jobID, attempt: request.attempt)
                }
                for entry in page.entries { try output.log(entry) }
                if page.complete || page.entries.isEmpty || page.nextSequence <= request.fromSequence { break }
                request.fromSequence = page.nextSequence
                // Later pages must read the attempt the first one resolved, even if a new one starts.
                request.attempt = page.attempt
            }
        }
    }
}
