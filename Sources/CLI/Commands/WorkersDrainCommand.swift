import ArgumentParser
import JobAPI

/// `hodei workers drain NAME|ID [--reason R] [--json]`.
struct WorkersDrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Drain a worker: no new jobs; it finishes its running ones, then its agent exits.",
        usage: "hodei workers drain <name-or-id> [--reason <text>] [--json] [<connection options>]"
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Why, for logs and the agent.", valueName: "text"))
    var reason: String?

    @Flag(help: "Print the worker as JSON (proto3 JSON mapping).")
    var json = false

    @Argument(help: ArgumentHelp("The worker's name or id.", valueName: "worker"))
    var worker: String

    func run() async throws {
        var request = Hodei_V1_DrainWorkerRequest()
        request.worker = worker
        request.reason = reason ?? ""
        let status = try await connection.withConnection { connection in
            try await connection.unary(.worker(worker)) { try await connection.workers.drainWorker(request, metadata: $0, options: $1) }
        }
        let terminal = Terminal.shared
        if json {
            terminal.outLine(try JSONOutput.pretty(status))
            return
        }
        let running = status.runningJobs.count
        let rest = running == 0 ? "no jobs running" : running == 1 ? "1 job still running" : "\(running) jobs still running"
        terminal.outLine("\(status.name) (\(status.id)): \(JobText.state(status.state)), \(rest)")
    }
}
