import ArgumentParser
import Foundation

/// `hodei-load`: simulated workers and submitters against a hodei-server on loopback.
@main
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei-load",
        abstract: "Load a hodei-server on loopback with simulated workers and submitters, and report what it sustained.",
        discussion: """
            Scenarios (shared BENCHMARKS.md): `dispatch` (DISPATCH-T, DISPATCH-L, DISPATCH-P), \
            `idle` (SCALE-W), `storm` (STORM). Each run is bounded in jobs and time. Latencies \
            are HdrHistogram percentiles; a job's result counts when the server acknowledged it \
            (durable). Server CPU and peak RSS come from /proc of --server-pid or of the server \
            started with --launch-server.
            """,
        subcommands: [DispatchCommand.self, IdleCommand.self, StormCommand.self]
    )
}

/// Prints `report` as the table or as JSON, and fails the command when it is incomplete.
func emit(_ report: LoadReport, json: Bool) throws {
    if json {
        print(try report.json())
    } else {
        print(ReportTable.render(report), terminator: "")
    }
    if !report.complete { throw ExitCode(2) }
}

/// Starts `count` simulated workers and fills in the report's worker figures.
func startFleet(count: Int, behaviour: WorkerBehaviour, target: LoadTarget, options: ClientOptions, tracker: JobTracker,
                errors: ErrorCounter, report: inout LoadReport, timeout: Duration = .seconds(120)) async throws -> WorkerFleet {
    let connections = options.connections == 0 ? count : min(options.connections, count)
    let pool = try ConnectionPool(host: target.host, port: target.port, size: max(1, connections), group: target.group)
    let context = FleetContext(pool: pool, behaviour: behaviour, tracker: tracker, errors: errors, metadata: target.workerMetadata)
    let fleet = WorkerFleet(count: count, namePrefix: options.namePrefix ?? "load-\(getpid())", context: context)
    let began = MonotonicTime.now()
    let before = target.sample()
    let attached = await fleet.start(concurrency: options.attachConcurrency, timeout: timeout)
    if let before, let after = target.sample() { report.workers.attachServerCPUSeconds = after.cpuSeconds - before.cpuSeconds }
    report.workers.requested = count
    report.workers.attached = attached
    report.workers.connections = connections
    report.workers.attachSeconds = MonotonicTime.seconds(from: began, to: context.attaches.lastAt)
    if attached < count {
        report.complete = false
        report.notes.append("\(count - attached) workers did not attach")
    }
    return fleet
}
