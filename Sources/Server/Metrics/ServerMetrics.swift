import JobAPI
import Prometheus
import Scheduling
import Synchronization

/// The server's Prometheus metrics (seed 004's names first), served as text at /metrics.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private let heartbeats: Counter
    private let executionDuration: DurationHistogram
    private let dispatchLatency: DurationHistogram
    private let queueSize: [SchedulingPriority: Gauge]
    private let jobsByState: [Hodei_V1_JobState: Gauge]
    private let jobsFinished: [Hodei_V1_JobState: Counter]
    private let workersByState: [Hodei_V1_WorkerState: Gauge]
    private let connectedWorkers: Gauge
    private let logLines: Counter
    private let submissions: Counter
    /// Per-worker CPU gauges, created on first heartbeat.
    private let cpuGauges = Mutex<[String: Gauge]>([:])


    static let activeStates: [Hodei_V1_JobState] = [.queued, .assigned, .running]
    static let terminalStates: [Hodei_V1_JobState] = [.succeeded, .failed, .cancelled, .timedOut, .lost]
    static let workerStates: [Hodei_V1_WorkerState] = [.registering, .available, .running, .unhealthy, .draining, .terminated, .failed]

    init() {
        heartbeats = registry.makeCounter(descriptor: .named("hodei_worker_heartbeats_total", "Heartbeats received from workers."))
        executionDuration = registry.makeDurationHistogram(
            descriptor: .named("hodei_job_execution_duration", "Time from a job's start on a worker to its end, in seconds."),
            buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(300), .seconds(1800), .seconds(7200)]
        )
        dispatchLatency = registry.makeDurationHistogram(
            descriptor: .named("hodei_job_dispatch_latency", "Time from placing a job on a worker to the agent accepting it, in seconds."),
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1)]
        )
        var queue: [SchedulingPriority: Gauge] = [:]
        for priority in SchedulingPriority.allCases {
            queue[priority] = registry.makeGauge(descriptor: .named("hodei_scheduler_queue_size", "Jobs waiting in each priority queue."), labels: [("priority", "\(priority)")])
        }
        queueSize = queue
        var byState: [Hodei_V1_JobState: Gauge] = [:]
        for state in Self.activeStates {
            byState[state] = registry.makeGauge(descriptor: .named("hodei_jobs", "Unfinished jobs by state."), labels: [("state", state.metricName)])
        }
        jobsByState = byState
        var finished: [Hodei_V1_JobState: Counter] = [:]
        for state in Self.terminalStates {
            finished[state] = registry.makeCounter(descriptor: .named("hodei_jobs_finished_total", "Jobs that reached a terminal state since start."), labels: [("state", state.metricName)])
        }
        jobsFinished = finished
        var workers: [Hodei_V1_WorkerState: Gauge] = [:]
        for state in Self.workerStates {
            workers[state] = registry.makeGauge(descriptor: .named("hodei_workers", "Registered workers by state."), labels: [("state", state.metricName)])
        }
        workersByState = workers
        connectedWorkers = registry.makeGauge(descriptor: .named("hodei_connected_workers", "Workers with an attached JobStream."))
        logLines = registry.makeCounter(descriptor: .named("hodei_log_lines_total", "Log entries received from agents."))
        submissions = registry.makeCounter(descriptor: .named("hodei_job_submissions_total", "Jobs submitted (not counting idempotent repeats)."))
    }

    func heartbeat(_ worker: WorkerEntry) {
        heartbeats.increment()
        let gauge = cpuGauges.withLock { gauges in
            if let gauge = gauges[worker.id] { return gauge }
            let gauge = registry.makeGauge(descriptor: .named("hodei_worker_cpu_usage_percent", "CPU use reported by each worker's last heartbeat."), labels: [("worker", worker.name)])
            gauges[worker.id] = gauge
            return gauge
        }
        gauge.set(worker.cpuUsagePercent)
    }

    /// Counts a submission, or a job reaching a terminal state. (The gauges of unfinished
    /// jobs by state are set when /metrics is read: see `setActiveJobCounts`.)
    func jobStateChanged(from previous: Hodei_V1_JobState, to state: Hodei_V1_JobState) {
        if previous == .unspecified && state == .queued { submissions.increment() }
        jobsFinished[state]?.increment()
    }

    /// Unfinished jobs by state, counted from the coordinator's jobs when /metrics is read
    /// (correct after a restart too, and nothing to do per transition).
    func setActiveJobCounts(_ counts: [Hodei_V1_JobState: Int]) {
        for state in Self.activeStates { jobsByState[state]?.set(Double(counts[state, default: 0])) }
    }

    /// Queue-size gauges, refreshed when /metrics is read, like the worker gauges below.
    func setQueueSizes(_ queuedCount: (SchedulingPriority) -> Int) {
        for priority in SchedulingPriority.allCases {
            queueSize[priority]?.set(Double(queuedCount(priority)))
        }
    }

    /// Worker gauges, refreshed from the registry when /metrics is read (keeping them up to
    /// date on every change scanned every worker each time: quadratic over a fleet's attach).
    func setWorkerCounts(byState counts: [Hodei_V1_WorkerState: Int], connected: Int) {
        for state in Self.workerStates { workersByState[state]?.set(Double(counts[state, default: 0])) }
        connectedWorkers.set(Double(connected))
    }

    func jobExecuted(seconds: Double) { executionDuration.record(.nanoseconds(Int64(seconds * 1e9))) }
    func dispatched(after duration: Duration) { dispatchLatency.record(duration) }
    func logLinesReceived(_ count: Int) { logLines.increment(by: Int64(count)) }

    /// The exposition text.
    func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

extension Hodei_V1_JobState {
    var metricName: String { (protoName ?? "unknown").replacingPrefix("JOB_STATE_").lowercased() }
}

extension Hodei_V1_WorkerState {
    var metricName: String { (protoName ?? "unknown").replacingPrefix("WORKER_STATE_").lowercased() }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}

extension MetricNameDescriptor {
    /// A descriptor for a full metric name given as is.
    static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

