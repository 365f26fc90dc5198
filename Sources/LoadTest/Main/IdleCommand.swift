import ArgumentParser
import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2

/// SCALE-W: an idle fleet holding JobStreams and heartbeating; what it costs the server.
struct IdleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "Connect N idle workers that heartbeat on their streams; measure the server's CPU and RSS.",
        discussion: "SCALE-W: idle --workers 10000 --duration 30 (heartbeat interval: the server's, 5 s by default)"
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var client: ClientOptions

    @Option(help: "Simulated workers.")
    var workers: Int = 10_000

    @Option(help: "Seconds to wait after the last attach before measuring.")
    var settle: Double = 5

    @Option(help: "Seconds measured.")
    var duration: Double = 30

    @Option(help: "Heartbeat interval in seconds instead of the server's.")
    var heartbeatInterval: Double?

    func validate() throws {
        guard workers > 0, settle >= 0, duration > 0 else { throw ValidationError("--workers and --duration must be positive") }
    }

    func run() async throws {
        let target = try LoadTarget(server, client)
        var report = LoadReport(scenario: "idle")
        report.settings = ["workers": "\(workers)", "settle": "\(settle) s", "duration": "\(duration) s",
                           "heartbeat": heartbeatInterval.map { "\($0) s" } ?? "server's"]
        let errors = ErrorCounter()
        var fleet: WorkerFleet?
        do {
            var behaviour = WorkerBehaviour()
            behaviour.slots = 4
            behaviour.heartbeatOverride = heartbeatInterval.map { .milliseconds(Int64($0 * 1000)) }
            let started = try await startFleet(count: workers, behaviour: behaviour, target: target, options: client,
                                               tracker: JobTracker(), errors: errors, report: &report)
            fleet = started
            try await Task.sleep(for: .milliseconds(Int64(settle * 1000)))
            let attachesBefore = started.context.attaches.value
            let beatsBefore = started.context.heartbeatsSent
            let before = target.sample()
            let began = MonotonicTime.now()
            try await Task.sleep(for: .milliseconds(Int64(duration * 1000)))
            let after = target.sample()
            let elapsed = MonotonicTime.seconds(from: began, to: MonotonicTime.now())
            let beats = started.context.heartbeatsSent - beatsBefore
            report.workers.heartbeatsPerSecond = Double(beats) / elapsed
            if let before, let after, let pid = target.pid { report.server = ServerUsage(pid: pid, from: before, to: after) }
            let reattached = started.context.attaches.value - attachesBefore
            if reattached > 0 {
                report.complete = false
                report.notes.append("\(reattached) streams broke and re-attached while idle")
            }
            report.workers.serverConnected = try await connectedWorkers(started, prefix: client.namePrefix ?? "load-\(getpid())",
                                                                        metadata: target.clientMetadata)
        } catch {
            report.complete = false
            report.notes.append("stopped: \(error)")
        }
        await fleet?.stop()
        report.add(errors)
        await target.close()
        try emit(report, json: client.json)
    }
}

/// How many workers named PREFIX-… the server lists as connected (ListWorkers). Asked on a
/// worker connection: the server may refuse one more (its transport's connection limit).
func connectedWorkers(_ fleet: WorkerFleet, prefix: String, metadata: Metadata) async throws -> Int {
    let response = try await Hodei_V1_WorkerServiceClient(transport: fleet.context.pool.client(for: 0))
        .listWorkers(Hodei_V1_ListWorkersRequest(), metadata: metadata)
    return response.workers.filter { $0.connected && $0.name.hasPrefix(prefix + "-") }.count
}
