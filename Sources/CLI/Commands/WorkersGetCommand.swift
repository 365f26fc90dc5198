import ArgumentParser
import JobAPI

/// `hodei workers get ID [--json]`.
struct WorkersGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a worker.",
        usage: "hodei workers get <worker-id> [--json] [<connection options>]")

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Flag(help: "Print the worker as JSON (proto3 JSON mapping).")
    var json = false

    @Argument(help: ArgumentHelp("The worker's id.", valueName: "worker-id"))
    var workerID: String

    func run() async throws {
        var request = Hodei_V1_GetWorkerStatusRequest()
        request.workerId = workerID
        let worker = try await connection.withConnection { connection in
            try await connection.unary(.worker(workerID)) { try await connection.workers.getWorkerStatus(request, metadata: $0, options: $1) }
        }
        Terminal.shared.out(Array((json ? try JSONOutput.pretty(worker) + "\n" : WorkerDetails.render(worker)).utf8))
    }
}
