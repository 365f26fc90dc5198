import JobAPI
import ProtoRuntime

/// The SQLite implementation of `JobStore`: one database file in WAL mode, one writer thread
/// doing group commit (`GroupCommitWriter`), and a few reader threads (`ReaderPool`).
///
/// Durability: with the default `synchronous: .full`, a ticket resolves only after its
/// transaction's commit was fsynced (by `WALSyncer`, beside the writer), so an acknowledged write survives `kill -9` and power
/// loss. Call `close()` before dropping the store; dropping it without closing lets its
/// threads finish the queued work in the background.
public final class SQLiteJobStore: JobStore {
    /// Path of the database file.
    public let path: String
    private let writer: GroupCommitWriter
    private let readers: ReaderPool
    let checkpointer: Checkpointer

    /// Opens (or creates) the store at `path` and migrates it to the current schema.
    ///
    /// - Throws: `StoreError(.corrupt)` when the file is not a SQLite database,
    ///   `StoreError(.other)` when its schema is newer than this build, `.io` when it cannot
    ///   be opened or locked.
    public convenience init(path: String, configuration: SQLiteStoreConfiguration = .init()) throws {
        try self.init(path: path, configuration: configuration, flushWAL: nil)
    }

    /// With `flushWAL`, the `.full` store flushes its WAL with it instead of `fdatasync` (tests
    /// hold a flush back or fail it).
    init(path: String, configuration: SQLiteStoreConfiguration, flushWAL: (@Sendable () -> StoreError?)?) throws {
        self.path = path
        let writerConnection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        try Self.configureWriter(writerConnection, configuration)
        try SQLiteMigrator.migrate(writerConnection)
        let walPath = try writerConnection.walPath()
        let checkpointPages = max(16, configuration.checkpointPages)
        if configuration.preallocateWAL {
            // Room for the frames written until a checkpoint is asked for, and a quarter more.
            Self.preallocate(walPath, frames: Int(checkpointPages) * 5 / 4, writer: writerConnection)
        }
        var readerConnections: [SQLiteConnection] = []
        for _ in 0..<max(1, configuration.readerCount) {
            let reader = try SQLiteConnection(path: path, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
            // A reader never writes; this makes a bug that tries fail instead of contending.
            try reader.execute("PRAGMA query_only = ON")
            readerConnections.append(reader)
        }
        let checkpointConnection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds)
        let checkpointer = Checkpointer(connection: checkpointConnection, thresholdPages: checkpointPages, backstopPages: checkpointPages * 4)
        try checkpointer.watch(writerConnection)
        self.checkpointer = checkpointer
        let syncer: WALSyncer?
        switch configuration.synchronous {
        case .full: syncer = try flushWAL.map { WALSyncer(flush: $0) } ?? WALSyncer(walPath: walPath)
        case .normal: syncer = nil
        }
        writer = GroupCommitWriter(connection: writerConnection, maxCallsPerTransaction: configuration.maxCallsPerTransaction,
                                   checkpointer: checkpointer, syncer: syncer)
        readers = ReaderPool(connections: readerConnections)
    }

    deinit {
        writer.stopWithoutWaiting()
        readers.stopWithoutWaiting()
        checkpointer.stopWithoutWaiting()
    }

    /// Best effort: a store whose WAL could not be written out (a full disk) still works,
    /// only its first commits are slower. Done holding the write lock, so that no other
    /// process can be appending frames meanwhile.
    private static func preallocate(_ walPath: String, frames: Int, writer: SQLiteConnection) {
        do throws(StoreError) {
            let pageSize = Int(try writer.scalarInt64("PRAGMA page_size") ?? 4_096)
            try writer.run("BEGIN IMMEDIATE")
            defer { try? writer.run("COMMIT") }
            try WALPreallocation.extend(path: walPath, to: WALPreallocation.size(frames: frames, pageSize: pageSize))
        } catch {
            // Nothing to report to: the store has no logger, and the cost is speed only.
        }
    }

    private static func configureWriter(_ connection: SQLiteConnection, _ configuration: SQLiteStoreConfiguration) throws(StoreError) {
        let mode = try connection.scalarString("PRAGMA journal_mode = WAL")
        guard mode?.lowercased() == "wal" else {
            throw StoreError(.io, "\(connection.path): cannot use WAL mode (journal_mode is \(mode ?? "unknown"))")
        }
        // With `.full`, COMMIT only writes the WAL and `WALSyncer` flushes it beside the writer;
        // a ticket still resolves only after that flush.
        try connection.execute("PRAGMA synchronous = NORMAL")
        // Jobs are never deleted; the keys catch events or attempts of an unknown job.
        try connection.execute("PRAGMA foreign_keys = ON")
    }

    /// Transactions the writer has committed since the store opened (group-commit metric).
    public var committedTransactions: Int { writer.committedTransactions }

    /// `write(_:)` calls committed since the store opened (failed calls excluded).
    public var committedWriteCalls: Int { writer.committedWriteCalls }

    /// Queues several `write(_:)` calls at once: they are committed in the same transaction
    /// (up to `maxCallsPerTransaction`), each still failing or succeeding on its own.
    func writeTogether(_ calls: [[StoreMutation]]) -> [StoreWriteTicket] {
        writer.enqueue(calls: calls)
    }

    // MARK: JobStore

    public func write(_ mutations: [StoreMutation]) -> StoreWriteTicket {
        writer.enqueue(mutations)
    }

    public func loadState() async throws -> StoredState {
        try await readers.read { connection throws(StoreError) in try StoreQueries(connection: connection).loadState() }
    }

    public func job(id: String) async throws -> StoredJob? {
        try await readers.read { connection throws(StoreError) in try StoreQueries(connection: connection).job(id: id) }
    }

    public func job(idempotencyKey: String) async throws -> StoredJob? {
        try await readers.read { connection throws(StoreError) in
            try StoreQueries(connection: connection).job(idempotencyKey: idempotencyKey)
        }
    }

    public func jobs(matching query: JobQuery) async throws -> JobPage {
        try await readers.read { connection throws(StoreError) in try StoreQueries(connection: connection).jobs(matching: query) }
    }

    public func events(jobID: String, fromSequence: UInt64, includeLogs: Bool, limit: Int) async throws -> [Hodei_V1_JobEvent] {
        try await readers.read { connection throws(StoreError) in
            try StoreQueries(connection: connection).events(jobID: jobID, fromSequence: fromSequence, includeLogs: includeLogs, limit: limit)
        }
    }

    public func logs(
        jobID: String, attempt: UInt32, fromSequence: UInt64, stream: Hodei_V1_LogStream?, limit: Int
    ) async throws -> [Hodei_V1_LogEntry] {
        try await readers.read { connection throws(StoreError) in
            try StoreQueries(connection: connection).logs(jobID: jobID, attempt: attempt, fromSequence: fromSequence, stream: stream, limit: limit)
        }
    }

    public func attempts(jobID: String) async throws -> [StoredAttempt] {
        try await readers.read { connection throws(StoreError) in try StoreQueries(connection: connection).attempts(jobID: jobID) }
    }

    public func lastEventSequence(jobID: String) async throws -> UInt64 {
        try await readers.read { connection throws(StoreError) in try StoreQueries(connection: connection).lastEventSequence(jobID: jobID) }
    }

    public func lastLogSequence(jobID: String, attempt: UInt32) async throws -> UInt64 {
        try await readers.read { connection throws(StoreError) in
            try StoreQueries(connection: connection).lastLogSequence(jobID: jobID, attempt: attempt)
        }
    }

    public func close() async {
        // Writer first: what is queued commits before the store reports closed.
        await writer.close()
        await readers.close()
        await checkpointer.close()
    }
}
