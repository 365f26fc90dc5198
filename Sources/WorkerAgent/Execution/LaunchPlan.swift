import Glibc
import JobAPI

/// A job spec checked and resolved into exactly what `posix_spawn` gets.
///
/// Memory limit: when the spec asks for `resources.memory_mb > 0`, the job runs under a tiny
/// exec wrapper, `/bin/sh -c 'ulimit -v KB && exec "$@"'`, so RLIMIT_AS is in place before
/// the job's first instruction (setting it with prlimit after posix_spawn would race the
/// program, which is already running when posix_spawn returns). The shell replaces itself
/// with the program: same pid, same process group. The limit is per process (each child
/// inherits it), on address space rather than resident memory.
struct LaunchPlan: Sendable, Equatable {
    /// Absolute path of the file to execute.
    var executable: String
    /// The argument vector, argv[0] included.
    var arguments: [String]
    /// `KEY=value` strings: the spec's environment plus the agent's HODEI_* variables.
    var environment: [String]
    var workingDirectory: String
    /// RLIMIT_AS for the job, in bytes; nil for no limit.
    var memoryLimitBytes: UInt64?

    /// The file descriptor on which the job may report progress (see ``ProgressParser``).
    static let progressDescriptor: Int32 = 3

    /// Why a spec cannot run on this machine (the agent answers REASON_INVALID_SPEC).
    struct InvalidSpec: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Resolves a spec: argv[0] through the agent's PATH when it has no slash, the working
    /// directory against `defaultWorkingDirectory`, the environment from empty.
    ///
    /// - Throws: ``InvalidSpec`` when argv is empty, the program is missing or not
    ///   executable, or the working directory is not a directory.
    static func make(
        spec: Hodei_V1_JobSpec, job: JobKey, defaultWorkingDirectory: String,
        searchPath: String = LaunchPlan.agentSearchPath
    ) throws(InvalidSpec) -> LaunchPlan {
        guard let program = spec.argv.first, !program.isEmpty else { throw InvalidSpec(description: "argv is empty") }
        // C strings end at NUL; an environment name cannot hold "=".
        if spec.argv.contains(where: { $0.utf8.contains(0) }) { throw InvalidSpec(description: "an argument contains a NUL byte") }
        for (name, value) in spec.env where name.isEmpty || name.contains("=") || name.utf8.contains(0) || value.utf8.contains(0) {
            throw InvalidSpec(description: "invalid environment variable \"\(name)\"")
        }
        let workingDirectory = spec.workingDir.isEmpty ? defaultWorkingDirectory : absolute(spec.workingDir, in: defaultWorkingDirectory)
        guard isDirectory(workingDirectory) else {
            throw InvalidSpec(description: "working directory \(workingDirectory) does not exist or is not a directory")
        }
        let executable = try resolve(program, workingDirectory: workingDirectory, searchPath: searchPath)

        var environment = spec.env
        environment["HODEI_JOB_ID"] = job.jobId
        environment["HODEI_JOB_ATTEMPT"] = String(job.attempt)
        environment["HODEI_PROGRESS_FD"] = String(progressDescriptor)
        let memoryMB = spec.resources?.memoryMb ?? 0
        var plan = LaunchPlan(
            executable: executable, arguments: spec.argv,
            environment: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            workingDirectory: workingDirectory,
            memoryLimitBytes: memoryMB > 0 ? UInt64(memoryMB) * 1024 * 1024 : nil
        )
        if let limit = plan.memoryLimitBytes {
            // $0 is the limit in KiB; "$@" is the program and its arguments.
            plan.arguments = ["/bin/sh", "-c", "ulimit -v \"$0\" && exec \"$@\"", String(limit / 1024), executable] + spec.argv.dropFirst()
            plan.executable = "/bin/sh"
        }
        return plan
    }

    /// The agent's own PATH, where argv[0] without a slash is looked up.
    static var agentSearchPath: String {
        getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
    }

    private static func resolve(_ program: String, workingDirectory: String, searchPath: String) throws(InvalidSpec) -> String {
        if program.contains("/") {
            let path = absolute(program, in: workingDirectory)
            guard access(path, X_OK) == 0, !isDirectory(path) else {
                throw InvalidSpec(description: "\(program): \(String(cString: strerror(access(path, F_OK) == 0 ? EACCES : ENOENT)))")
            }
            return path
        }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = absolute("\(directory)/\(program)", in: workingDirectory)
            if access(candidate, X_OK) == 0 && !isDirectory(candidate) { return candidate }
        }
        throw InvalidSpec(description: "\(program): not found in PATH")
    }

    private static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory + path : directory + "/" + path)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
