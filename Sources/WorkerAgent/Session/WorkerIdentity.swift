import Logging
import Synchronization

/// The worker id once registered, for the `worker_id` field of every log line.
final class WorkerIdentity: Sendable {
    private let id = Mutex<String?>(nil)

    init() {}

    func set(_ workerId: String) {
        id.withLock { $0 = workerId }
    }

    /// Adds `worker_id` to log lines (nothing before registration).
    var metadataProvider: Logger.MetadataProvider {
        Logger.MetadataProvider { [self] in
            id.withLock { id in id.map { ["worker_id": "\($0)"] } ?? [:] }
        }
    }
}
