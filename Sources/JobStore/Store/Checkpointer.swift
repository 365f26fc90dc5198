import CSQLite

/// Copies the WAL into the database file on a thread of its own, so that no commit waits for
/// it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit
/// then copies up to a thousand pages and fsyncs the database file, and its callers wait
/// milliseconds instead of the usual fraction of one (with SQLite's default of 1,000 pages,
/// about one job in fifty under one-at-a-time load). Here the writer's WAL hook signals this
/// thread instead, which checkpoints PASSIVELY (never blocking the writer or readers) on its own connection.
/// Once a checkpoint is complete the writer reuses the WAL file from its start, so its commits
/// write into space the file already has.
///
/// A checkpoint beside a writer that never pauses cannot complete (new frames keep arriving),
/// so a backstop bounds the WAL: past `backstopPages` the writer checkpoints inline, as SQLite
/// would have, but by then this thread has copied most of the frames.
final class Checkpointer: Sendable {
    private struct State: StoppableThreadState {
        var requested = false
        var running = false
        var stop = ThreadStopState()
    }

    /// WAL size (pages) at which the writer asks for a checkpoint.
    let thresholdPages: Int32
    /// WAL size (pages) at which the writer checkpoints itself.
    let backstopPages: Int32
    private let state = GuardedState(State())

    /// Takes ownership of `connection` and starts the thread.
    init(connection: sending SQLiteConnection, thresholdPages: Int32, backstopPages: Int32) {
        self.thresholdPages = thresholdPages
        self.backstopPages = backstopPages
        let owned = ConnectionTransfer(connection)
        DedicatedThread.start(name: "hodei-checkpoint") { [self] in
            run(owned.take())
        }
    }

    /// Installs the hook on the writer's connection. The writer keeps this object alive for
    /// as long as its connection is open (the hook's context is not retained).
    func watch(_ writer: SQLiteConnection) throws(StoreError) {
        try writer.setWALHook({ context, database, _, pages in
            guard let context else { return 0 }
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
            if pages >= checkpointer.backstopPages, let database {
                // Behind by far: checkpoint here, as SQLite's own hook would.
                sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= checkpointer.thresholdPages {
                checkpointer.request()
            }
            return 0
        }, context: Unmanaged.passUnretained(self).toOpaque())
    }

    /// Asks for a checkpoint soon (requests made while one runs are merged into the next).
    func request() {
        state.withLockBroadcasting { $0.requested = true }
    }

    /// Stops the thread after any requested checkpoint and closes its connection.
    func close() async {
        await state.stopAndWait()
    }

    /// No checkpoint requested or running (tests wait for it between bursts).
    var isIdle: Bool {
        state.withLock { !$0.requested && !$0.running }
    }

    /// Stops the thread without waiting (the store's deinit).
    func stopWithoutWaiting() {
        state.requestStop()
    }

    private func run(_ connection: SQLiteConnection) {
        while true {
            let (checkpoint, stop) = state.wait(until: { $0.requested || $0.stop.stopping }) { state -> (Bool, Bool) in
                defer { state.requested = false }
                state.running = state.requested
                return (state.requested, state.stop.stopping)
            }
            // A failed checkpoint is retried at the next request; the backstop bounds the WAL.
            if checkpoint {
                _ = try? connection.checkpointPassively()
                state.withLock { $0.running = false }
            }
            if stop { break }
        }
        connection.close()
        state.finishStopping()
    }
}
