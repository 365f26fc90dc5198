import ArgumentParser
import JobAPI

/// `hodei workers list [--state S] [--json]`.
struct WorkersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List workers by name.",
        usage: "hodei workers [list] [--state <state> ...] [--json] [<connection options>]")

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Only workers in this state (repeatable).", valueName: "state"))
    var state: [WorkerStateArgument] = []

    @Flag(help: "Print {\"workers\": [...]} as JSON (proto3 JSON mapping).")
    var json = false

    func run() async throws {
        var request = Hodei_V1_ListWorkersRequest()
        request.states = state.map(\.state)
        let response = try await connection.withConnection { connection in
            try await connection.unary(.none) { try await connection.workers.listWorkers(request, metadata: $0, options: $1) }
        }
        let terminal = Terminal.shared
        if json {
            terminal.outLine(try JSONOutput.pretty(response))
            return
        }
        terminal.out(Array(Self.table(response.workers).render(maxWidth: terminal.stdoutIsTTY ? terminal.width() : nil).utf8))
    }

    /// NAME, ID, STATE, JOBS (running/max), CPU% (machine), MEM (used/total), LABELS.
    static func table(_ workers: [Hodei_V1_WorkerStatus]) -> Table {
        var table = Table([
            .init(title: "NAME"), .init(title: "ID"), .init(title: "STATE"), .init(title: "JOBS", alignment: .right),
            .init(title: "CPU%", alignment: .right), .init(title: "MEM", alignment: .right), .init(title: "LABELS"),
        ])
        for worker in workers {
            let capabilities = worker.capabilities ?? Hodei_V1_WorkerCapabilities()
            let maxJobs = capabilities.maxConcurrentJobs > 0 ? "/\(capabilities.maxConcurrentJobs)" : ""
            let totalMemory = capabilities.total?.memoryMb ?? 0
            let memory = Quantities.formatMegabytes(UInt64(worker.memoryUsedMb))
                + (totalMemory > 0 ? "/" + Quantities.formatMegabytes(UInt64(totalMemory)) : "")
            table.append([
                worker.name, worker.id, JobText.state(worker.state), "\(worker.runningJobs.count)\(maxJobs)",
                Quantities.formatPercent(worker.cpuUsagePercent), memory, JobText.labels(capabilities.labels),
            ])
        }
        return table
    }
}
