/// Tuning of a `SQLiteJobStore`. The defaults favour durability.
public struct SQLiteStoreConfiguration: Sendable, Hashable {
    /// How hard SQLite flushes on commit (`PRAGMA synchronous`).
    public enum Synchronous: Sendable, Hashable {
        /// Every commit is fsynced: an acknowledged write survives a crash and a power loss.
        case full
        /// In WAL mode, commits are fsynced at checkpoints only: an acknowledged write
        /// survives a process crash, but the last ones may be lost on a power loss.
        case normal
    }

    public var synchronous: Synchronous
    /// How long a connection waits for a lock held by another process before failing.
    public var busyTimeoutMilliseconds: Int32
    /// Most `write(_:)` calls committed in one transaction; bounds a batch's latency.
    public var maxCallsPerTransaction: Int
    /// Read connections, each on its own thread. Reads run beside the writer (WAL).
    public var readerCount: Int
    /// WAL size, in pages (4 KiB), at which the checkpointer thread copies the WAL into the
    /// database file; the writer checkpoints itself at 4 times this. Each checkpoint fsyncs the
    /// database file, and a commit whose flush queues behind that one waits longer, so fewer,
    /// larger checkpoints touch fewer commits (a job run alone writes 12 pages).
    public var checkpointPages: Int32
    /// Writes the WAL file out to the size it reaches between checkpoints when the store
    /// opens (`checkpointPages` frames and a quarter more: about 41 MB at the defaults), so
    /// that commits never extend it. A growing WAL makes every flush also commit the file's
    /// size, which made the jobs of a freshly started server about 40 % slower one at a time
    /// until the first checkpoint. Off by default: it costs that disk space and the time to
    /// write it (tests open many small stores).
    public var preallocateWAL: Bool

    public init(
        synchronous: Synchronous = .full, busyTimeoutMilliseconds: Int32 = 5_000, maxCallsPerTransaction: Int = 4_096,
        readerCount: Int = 2, checkpointPages: Int32 = 8_000, preallocateWAL: Bool = false
    ) {
        self.synchronous = synchronous
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.maxCallsPerTransaction = maxCallsPerTransaction
        self.readerCount = readerCount
        self.checkpointPages = checkpointPages
        self.preallocateWAL = preallocateWAL
    }
}
