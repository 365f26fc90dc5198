import Glibc

/// Why a job's process could not be started (the agent answers JobRejected).
enum LaunchFailure: Error, CustomStringConvertible {
    /// The spec cannot run here: no such program or working directory, bad arguments.
    case invalidSpec(LaunchPlan.InvalidSpec)
    /// Pipes or the process could not be created.
    case spawn(ProcessSpawner.SpawnError)

    /// Worth placing again later (out of processes, memory or descriptors), rather than a
    /// property of the spec.
    var isTransient: Bool {
        guard case .spawn(let error) = self else { return false }
        return [EAGAIN, ENOMEM, EMFILE, ENFILE].contains(error.code)
    }

    var description: String {
        switch self {
        case .invalidSpec(let error): error.description
        case .spawn(let error): error.description
        }
    }
}
