import ArgumentParser
import JobAPI

/// `hodei cancel ID [--reason R]`.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job.",
        usage: "hodei cancel <job-id> [--reason <text>] [--json] [<connection options>]",
        discussion: "A queued job is cancelled at once; a running one is stopped on its worker (SIGTERM, then SIGKILL)."
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Why, recorded with the job.", valueName: "text"))
    var reason: String?

    @Flag(help: "Print the response as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("The job's id.", valueName: "job-id"))
    var jobID: String

    func run() async throws {
        var request = Hodei_V1_CancelJobRequest()
        request.jobId = jobID
        request.reason = reason ?? ""
        let response = try await connection.withConnection { connection in
            try await connection.unary(.job(jobID)) { try await connection.jobs.cancelJob(request, metadata: $0, options: $1) }
        }
        let terminal = Terminal.shared
        if json {
            terminal.outLine(try JSONOutput.pretty(response))
            return
        }
        terminal.outLine(Self.summary(response, jobID: jobID))
    }

    /// "j-1: cancelled", "j-1: stopping on worker w-3", "j-1: already finished (SUCCEEDED)".
    static func summary(_ response: Hodei_V1_CancelJobResponse, jobID: String) -> String {
        let job = response.job ?? Hodei_V1_Job()
        if response.alreadyFinished { return "\(jobID): already finished (\(JobText.state(job.state)))" }
        if JobText.isTerminal(job.state) { return "\(jobID): \(JobText.state(job.state).lowercased())" }
        return job.workerId.isEmpty ? "\(jobID): cancelling" : "\(jobID): stopping on worker \(job.workerId)"
    }
}
