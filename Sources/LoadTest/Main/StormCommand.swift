import ArgumentParser
import Foundation
import JobAPI
import RPCCore
import RPCTransportHTTP2

/// STORM: every worker loses its connection at once while jobs run, and reconnects.
struct StormCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storm",
        abstract: "Close every worker connection at once while jobs run; measure the time until all re-attached and count lost jobs.",
        discussion: """
            STORM: storm --workers 1000 --jobs 2000 --executor sleep:1000. A job is lost unless \
            GetJob shows it SUCCEEDED at the end. Workers re-attach with the same agent session, \
            report their running jobs and resend unacknowledged results, as hodei-agent does.
            """
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var client: ClientOptions

    @Option(help: "Simulated workers.")
    var workers: Int = 1_000

    @Option(help: "max_concurrent_jobs of each simulated worker.")
    var slots: UInt32 = 4

    @Option(help: "Jobs submitted before the drop (running while it happens).")
    var jobs: Int = 2_000

    @Option(help: "Simulated executor: noop, or sleep:MS.")
    var executor: String = "sleep:1000"

    @Option(help: "Seconds to wait for all re-attaches, and again for all results.")
    var timeout: Double = 60

    func validate() throws {
        guard workers > 0, slots > 0, jobs >= 0, timeout > 0 else { throw ValidationError("counts must be positive") }
        _ = try parseExecutor(executor)
    }

    func run() async throws {
        let target = try LoadTarget(server, client)
        var report = LoadReport(scenario: "storm")
        report.settings = ["workers": "\(workers) x \(slots) slots", "jobs": "\(jobs)", "executor": executor]
        let errors = ErrorCounter()
        let tracker = JobTracker()
        var fleet: WorkerFleet?
        let limit = Duration.milliseconds(Int64(timeout * 1000))
        do {
            var behaviour = WorkerBehaviour()
            behaviour.executor = try parseExecutor(executor)
            behaviour.slots = slots
            let started = try await startFleet(count: workers, behaviour: behaviour, target: target, options: client,
                                               tracker: tracker, errors: errors, report: &report)
            fleet = started

            // Jobs first, so that the drop hits them running (or with results not yet acked).
            let clients = try (0..<client.submitConnections).map { _ in try target.makeClient() }
            var plan = Submitter.Plan()
            plan.jobs = jobs
            plan.concurrency = 256
            let accepted = await Submitter(plan: plan, clients: clients, tracker: tracker, errors: errors, metadata: target.clientMetadata).run()
            var storm = LoadReport.StormFigures()
            storm.workers = workers
            storm.jobsInFlightAtDrop = started.workers.reduce(0) { $0 + $1.heldJobs }

            let before = target.sample()
            let dropAt = MonotonicTime.now()
            let attachesBefore = try await started.dropAllConnections()
            let all = await started.context.attaches.wait(forAtLeast: attachesBefore + workers, timeout: limit)
            storm.reattached = started.context.attaches.value - attachesBefore
            storm.reattachSeconds = MonotonicTime.seconds(from: dropAt, to: started.context.attaches.lastAt)
            started.context.isDropping = false
            report.workers.serverConnected = try await connectedWorkers(started, prefix: client.namePrefix ?? "load-\(getpid())",
                                                                        metadata: target.clientMetadata)
            if !all {
                report.complete = false
                report.notes.append("only \(storm.reattached) of \(workers) workers re-attached within \(timeout) s")
            }

            _ = await target.unlessServerDies { await tracker.waitForCompletions(accepted.count, timeout: limit) }
            let after = target.sample()
            report.add(tracker.snapshot)
            if let before, let after, let pid = target.pid { report.server = ServerUsage(pid: pid, from: before, to: after) }
            let states = await finalStates(of: accepted, clients: clients, metadata: target.clientMetadata, errors: errors)
            report.jobs?.finalStates = states
            storm.lost = accepted.count - (states["SUCCEEDED"] ?? 0) + (jobs - accepted.count)
            report.storm = storm
            if storm.lost > 0 { report.complete = false }
            report.notes.append("\(started.context.reconnects.value) broken streams counted as expected during the drop")
            for client in clients { try? await client.shutdown() }
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

/// Each job's state read back with GetJob ("UNREADABLE" when the call failed), counted.
func finalStates(of jobIDs: [String], clients: [GRPCClient], metadata: Metadata, errors: ErrorCounter) async -> [String: Int] {
    let counts = LockedBox<[String: Int]>([:])
    let limiter = AsyncLimiter(limit: 64)
    await withDiscardingTaskGroup { group in
        for (index, jobID) in jobIDs.enumerated() {
            await limiter.acquire()
            let client = clients[index % clients.count]
            group.addTask {
                defer { limiter.release() }
                var request = Hodei_V1_GetJobRequest()
                request.jobId = jobID
                let name: String
                do {
                    name = try await Hodei_V1_JobServiceClient(transport: client).getJob(request, metadata: metadata).state.name
                } catch {
                    errors.record("GetJob", error)
                    name = "UNREADABLE"
                }
                counts.withLock { $0[name, default: 0] += 1 }
            }
        }
    }
    return counts.value
}
