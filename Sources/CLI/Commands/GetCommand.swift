import ArgumentParser
import JobAPI

/// `hodei get ID`: one job, readable or as JSON.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a job.",
        usage: "hodei get <job-id> [--json] [<connection options>]")

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Flag(help: "Print the job as JSON (proto3 JSON mapping).")
    var json = false

    @Argument(help: ArgumentHelp("The job's id.", valueName: "job-id"))
    var jobID: String

    func run() async throws {
        var request = Hodei_V1_GetJobRequest()
        request.jobId = jobID
        let job = try await connection.withConnection { connection in
            try await connection.unary(.job(jobID)) { try await connection.jobs.getJob(request, metadata: $0, options: $1) }
        }
        Terminal.shared.out(Array((json ? try JSONOutput.pretty(job) + "\n" : JobDetails.render(job)).utf8))
    }
}
