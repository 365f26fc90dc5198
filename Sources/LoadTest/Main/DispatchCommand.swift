import ArgumentParser
import Foundation
import RPCTransportHTTP2

/// DISPATCH-T / DISPATCH-L / DISPATCH-P: jobs from submitters to workers and back.
struct DispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Submit jobs and measure them end to end (submit → durable result).",
        discussion: """
            DISPATCH-T: dispatch --jobs 20000 --workers 16 --concurrency 256
            DISPATCH-L: dispatch --jobs 2000 --workers 1 --concurrency 1 --window 1
            DISPATCH-P: dispatch --workers 0 --external-workers --argv /bin/true (a real hodei-agent runs them)
            """
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var client: ClientOptions

    @Option(help: "Jobs to measure.")
    var jobs: Int = 20_000

    @Option(help: "Jobs run first and not measured.")
    var warmupJobs: Int = 1_000

    @Option(help: "Simulated workers.")
    var workers: Int = 16

    @Option(help: "max_concurrent_jobs of each simulated worker.")
    var slots: UInt32 = 64

    @Option(help: "SubmitJob calls in flight at once.")
    var concurrency: Int = 256

    @Option(help: "Jobs in flight end to end (submitted, result not yet durable); 0: no bound. 1 with --concurrency 1: one job at a time.")
    var window: Int = 0

    @Option(help: "Target submissions per second (default: as fast as possible).")
    var rate: Double?

    @Option(help: "Follow every Nth job with WatchJob (0: none).")
    var watchEvery: Int = 0

    @Flag(help: "Jobs are run by real agents, not simulated workers: each job is followed with WatchJob, which sees its end.")
    var externalWorkers = false

    @Option(help: "Simulated executor: noop, or sleep:MS.")
    var executor: String = "noop"

    @Option(parsing: .upToNextOption, help: "Job argv.")
    var argv: [String] = ["true"]

    @Option(help: "Seconds to wait for all results before giving up.")
    var timeout: Double = 300

    func validate() throws {
        guard jobs > 0, warmupJobs >= 0, workers >= 0, slots > 0, concurrency > 0, window >= 0, watchEvery >= 0, timeout > 0 else {
            throw ValidationError("counts must be positive")
        }
        guard workers > 0 || externalWorkers else { throw ValidationError("--workers 0 needs --external-workers") }
        _ = try parseExecutor(executor)
    }

    func run() async throws {
        let target = try LoadTarget(server, client)
        var report = LoadReport(scenario: externalWorkers ? "dispatch (external workers)" : "dispatch")
        report.settings = ["jobs": "\(jobs)", "warmup jobs": "\(warmupJobs)", "workers": "\(workers) x \(slots) slots",
                           "submit concurrency": "\(concurrency)", "window": window == 0 ? "unbounded" : "\(window)",
                           "rate": rate.map { "\($0)/s" } ?? "max", "executor": executor, "argv": argv.joined(separator: " ")]
        let errors = ErrorCounter()
        let tracker = JobTracker(window: window > 0 ? AsyncLimiter(limit: window) : nil)
        var fleet: WorkerFleet?
        do {
            if workers > 0 {
                var behaviour = WorkerBehaviour()
                behaviour.executor = try parseExecutor(executor)
                behaviour.slots = slots
                fleet = try await startFleet(count: workers, behaviour: behaviour, target: target, options: client,
                                             tracker: tracker, errors: errors, report: &report)
            }
            let clients = try (0..<client.submitConnections).map { _ in try target.makeClient() }
            var plan = Submitter.Plan()
            plan.concurrency = concurrency
            plan.rate = rate
            plan.watchEvery = watchEvery
            plan.completionByWatch = externalWorkers
            plan.argv = argv
            let limit = Duration.milliseconds(Int64(timeout * 1000))

            if warmupJobs > 0 {
                plan.jobs = warmupJobs
                let accepted = await Submitter(plan: plan, clients: clients, tracker: tracker, errors: errors, metadata: target.clientMetadata).run()
                if !(await target.unlessServerDies { await tracker.waitForCompletions(accepted.count, timeout: limit) }) {
                    report.notes.append("warm-up: only \(tracker.snapshot.completed) of \(accepted.count) jobs completed")
                }
                tracker.reset()
            }

            plan.jobs = jobs
            let before = target.sample()
            let accepted = await Submitter(plan: plan, clients: clients, tracker: tracker, errors: errors, metadata: target.clientMetadata).run()
            let allDone = await target.unlessServerDies { await tracker.waitForCompletions(accepted.count, timeout: limit) }
            if !target.serverAlive { report.notes.append("the server process exited during the run") }
            let after = target.sample()
            let snapshot = tracker.snapshot
            report.add(snapshot)
            if let before, let after, let pid = target.pid {
                report.server = ServerUsage(pid: pid, from: before, to: after, units: snapshot.completed)
            }
            if !allDone || accepted.count < jobs {
                report.complete = false
                report.notes.append("\(snapshot.completed) of \(jobs) jobs completed (\(accepted.count) accepted)")
            }
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

func parseExecutor(_ text: String) throws -> WorkerBehaviour.Executor {
    if text == "noop" { return .noop }
    if text.hasPrefix("sleep:"), let ms = Int(text.dropFirst(6)), ms >= 0 { return .sleep(.milliseconds(ms)) }
    throw ValidationError("--executor must be noop or sleep:MS, got \(text)")
}
