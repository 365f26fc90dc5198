import ArgumentParser
import Foundation
import JobAPI

/// `hodei submit [options] -- CMD ARGS...`: submits a job and prints its id, or follows it and
/// exits with its status.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a job (with --follow: stream its output and exit with its status).",
        usage: "hodei submit [<options>] [<connection options>] [--] <command> [<argument> ...]",
        discussion: """
        The command runs on a worker directly, not through a shell; for shell syntax submit \
        "-- sh -c '...'". Put '--' before the command when it has options of its own.

        With --follow the job's stdout and stderr become this command's, its progress is shown \
        on stderr, and the exit status is the job's: its exit code, 128+N after signal N, 130 when \
        cancelled, 1 when it failed to start, timed out or was lost. Ctrl-C stops following, not \
        the job.
        """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(help: "Queue priority: high, normal or low (default: normal).")
    var priority: PriorityArgument?

    @Option(help: ArgumentHelp("CPU to reserve: cores (2, 0.5) or millicores (500m).", valueName: "cpu"))
    var cpu: String?

    @Option(help: ArgumentHelp("Memory to reserve in MB: 512, 512M or 2G.", valueName: "mb"))
    var memory: String?

    @Option(help: ArgumentHelp("GPUs to reserve.", valueName: "n"))
    var gpus: UInt32?

    @Option(name: .customLong("label"), help: ArgumentHelp("A job label (repeatable), for 'hodei list --label'.", valueName: "k=v"))
    var labels: [KeyValue] = []

    @Option(name: .customLong("require"), help: ArgumentHelp("Run only on workers with this label (repeatable).", valueName: "k=v"))
    var requiredLabels: [KeyValue] = []

    @Option(name: .customLong("env"),
            help: ArgumentHelp("An environment variable of the job (repeatable); K alone copies it from here.", valueName: "K=V"))
    var environment: [String] = []

    @Option(name: .customLong("workdir"), help: ArgumentHelp("Working directory of the job on the worker.", valueName: "dir"))
    var workingDirectory: String?

    @Option(help: ArgumentHelp("Kill the job after this long: seconds, or 90s, 5m, 1h30m (default: the server's).",
                               valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Runs allowed in total when workers fail (default: the server's, normally 3).", valueName: "n"))
    var maxAttempts: UInt32?

    @Option(help: ArgumentHelp("A name for listings.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Key that makes the submission idempotent (default: a random UUID, so retries are safe).",
                               valueName: "key"))
    var idempotencyKey: String?

    @Flag(name: [.short, .long], help: "Stream the job's output and progress; exit with its status.")
    var follow = false

    @Flag(help: "Print the response as JSON.")
    var json = false

    @Argument(parsing: .remaining, help: ArgumentHelp("The program and its arguments.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        _ = try makeRequest()
        if json && follow { throw ValidationError("--json and --follow cannot be used together") }
    }

    /// The request this invocation sends (the default idempotency key is new on each call).
    /// - Throws: `ValidationError` for malformed options or a missing command.
    func makeRequest(environment processEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> Hodei_V1_SubmitJobRequest {
        var spec = Hodei_V1_JobSpec()
        spec.argv = command.first == "--" ? Array(command.dropFirst()) : command
        guard !spec.argv.isEmpty else { throw ValidationError("missing the command to run, as in: hodei submit -- echo hello") }
        var resources = Hodei_V1_ResourceQuota()
        if let cpu {
            guard let millicores = Quantities.parseMillicores(cpu) else { throw ValidationError("--cpu '\(cpu)' is not a CPU amount, as in 2, 0.5 or 500m") }
            resources.cpuMillicores = millicores
        }
        if let memory {
            guard let megabytes = Quantities.parseMegabytes(memory) else { throw ValidationError("--memory '\(memory)' is not an amount, as in 512 or 2G") }
            resources.memoryMb = megabytes
        }
        resources.gpus = gpus ?? 0
        if resources != Hodei_V1_ResourceQuota() { spec.resources = resources }
        if let timeout {
            guard let duration = DurationText.parse(timeout) else { throw ValidationError("--timeout '\(timeout)' is not a duration, as in 90 or 5m") }
            if duration > .zero { spec.timeout = DurationText.proto(duration) }
        }
        spec.priority = priority?.proto ?? .unspecified
        spec.labels = KeyValue.dictionary(labels)
        spec.requiredLabels = KeyValue.dictionary(requiredLabels)
        for variable in environment {
            if let pair = KeyValue(argument: variable) {
                spec.env[pair.key] = pair.value
            } else if let value = processEnvironment[variable] {
                spec.env[variable] = value
            } else {
                throw ValidationError("--env \(variable): no '=' and no such variable here")
            }
        }
        spec.workingDir = workingDirectory ?? ""
        spec.maxAttempts = maxAttempts ?? 0
        spec.name = name ?? ""
        var request = Hodei_V1_SubmitJobRequest()
        request.spec = spec
        request.idempotencyKey = idempotencyKey ?? UUID().uuidString.lowercased()
        return request
    }

    func run() async throws {
        let request = try makeRequest()
        let terminal = Terminal.shared
        let outcome = try await connection.withConnection { connection -> JobOutcome? in
            let response = try await connection.unary(.none) { try await connection.jobs.submitJob(request, metadata: $0, options: $1) }
            if json {
                terminal.outLine(try JSONOutput.pretty(response))
                return nil
            }
            if response.duplicate && idempotencyKey != nil {
                terminal.errLine("hodei: idempotency key '\(request.idempotencyKey)' was already used; job \(response.jobId) is that submission")
            }
            guard follow else {
                terminal.outLine(response.jobId)
                return nil
            }
            terminal.errLine("hodei: job \(response.jobId) submitted")
            let follower = JobFollower(connection: connection, jobID: response.jobId, includeLogs: true)
            let ending = try await follower.run(showing: LiveOutput(showProgress: true))
            return JobOutcome(jobID: response.jobId, state: ending.state, result: ending.result, stateMessage: ending.message)
        }
        guard let outcome else { return }
        if let message = outcome.message { terminal.errLine("hodei: " + message) }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }
}
