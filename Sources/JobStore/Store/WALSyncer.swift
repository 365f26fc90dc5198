#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the writer's commits durable on a thread of its own, so that the writer builds the
/// next transaction while the last one is being flushed.
///
/// With `synchronous: .full` the writer's connection runs SQLite at `synchronous = NORMAL`: a
/// COMMIT appends the transaction's frames to the WAL file (an ordinary `pwrite`) and returns
/// without flushing. The writer then hands the batch's tickets here; this thread calls
/// `fdatasync` on the WAL file and only then resolves them. A flush that *starts* after a
/// commit's frames were written covers them (it flushes the whole file), so a resolved ticket
/// means what it meant when SQLite flushed inside COMMIT: the write survives a power loss.
/// SQLite's recovery replays the WAL up to its last complete, checksummed commit.
///
/// Why: at one job at a time, a job waits on two commits (its submission, then its result),
/// and with SQLite flushing inside COMMIT the second could not even start its statements
/// until the first flush ended. Here the writer is at most one commit ahead of the flush
/// in progress (`hand` waits for that), which keeps group commit's batching under load.
///
/// Tickets resolve in commit order, failed calls too (they wait behind earlier commits).
/// After a failed flush every later ticket fails as well: Linux may report a lost write only
/// once, so a later flush's success would not prove anything.
final class WALSyncer: Sendable {
    /// One committed (or failed) batch: its tickets and each call's outcome.
    struct Batch {
        var tickets: [StoreWriteTicket]
        var outcomes: [Result<Void, StoreError>]
        /// False when the whole transaction failed: nothing was written, nothing to flush.
        var committed: Bool
    }

    private struct State {
        var handed: [Batch] = []
        var stopping = false
        var finished = false
    }

    private let state = GuardedState(State())
    /// Flushes the WAL file; returns the error, or nil once the data is on disk.
    private let flush: @Sendable () -> StoreError?

    /// Flushes the WAL file at `walPath` (the database path plus `-wal`), which SQLite creates
    /// when the connection switches to WAL mode.
    convenience init(walPath: String) throws(StoreError) {
        let file = try WALFileHandle(path: walPath)
        self.init(flush: { file.flush() })
    }

    /// With a given flush; tests use it to hold a flush back or make it fail.
    init(flush: @escaping @Sendable () -> StoreError?) {
        self.flush = flush
        DedicatedThread.start(name: "hodei-wal-sync") { [self] in
            run()
        }
    }

    /// Called by the writer after each transaction.
    func hand(_ batch: Batch) {
        state.withLockBroadcasting { $0.handed.append(batch) }
    }

    /// Called by the writer before it takes its next batch: returns once every handed batch
    /// has at least started flushing, so that the writer is never more than one commit ahead.
    func waitUntilFlushing() {
        state.wait(until: { $0.handed.isEmpty }) { _ in }
    }

    /// Called by the writer thread last: resolves everything handed, then stops the thread
    /// and waits for it.
    func finish() {
        state.withLockBroadcasting { $0.stopping = true }
        state.wait(until: { $0.finished }) { _ in }
    }

    private func run() {
        var failure: StoreError? = nil
        while true {
            // Taking the batches lets the writer (waiting in `waitUntilFlushing`) go on.
            let (batches, stop) = state.wait(until: { !$0.handed.isEmpty || $0.stopping }, broadcasting: true) { state -> ([Batch], Bool) in
                defer { state.handed = [] }
                return (state.handed, state.stopping)
            }
            if failure == nil, batches.contains(where: \.committed) {
                failure = flush()
            }
            for batch in batches {
                for (ticket, outcome) in zip(batch.tickets, batch.outcomes) {
                    if let failure, batch.committed {
                        ticket.resolve(.failure(failure))
                    } else {
                        ticket.resolve(outcome)
                    }
                }
            }
            if stop, state.withLock({ $0.handed.isEmpty }) { break }
        }
        state.withLockBroadcasting { $0.finished = true }
    }
}

/// The WAL file, opened only to flush it (`fdatasync` flushes the file, whichever descriptor
/// wrote it).
private final class WALFileHandle: Sendable {
    private let descriptor: Int32
    private let path: String

    init(path: String) throws(StoreError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.io, "\(path): cannot open the WAL file to flush it: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    func flush() -> StoreError? {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            return StoreError(.io, "\(path): fdatasync failed: \(String(cString: strerror(errno))); "
                + "writes since are not acknowledged, restart the server (SQLite recovers the WAL)")
        }
        return nil
    }
}
