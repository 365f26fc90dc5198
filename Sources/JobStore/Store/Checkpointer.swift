import CSQLite
import Synchronization

/// Copies the WAL into the database file on a thread of its own, so that no commit waits for
/// the bulk of it.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit
/// then copies up to a thousand pages and fsyncs the database file, and its callers wait
/// milliseconds instead of the usual fraction of one (with SQLite's default of 1,000 pages,
/// about one job in fifty under one-at-a-time load). Here the writer's WAL hook signals this
/// thread instead, which checkpoints PASSIVELY (never blocking the writer or readers) on its
/// own connection.
///
/// SQLite reuses the WAL from its start only once a checkpoint has copied every frame, and
/// commits keep landing while this thread copies. Chasing them from here meant a checkpoint,
/// with its two flushes, every few milliseconds until one happened to finish between two
/// commits (314 `fdatasync`s in 2,000 jobs one at a time, for over a second), and every commit
/// whose flush queued behind one of them was late. So this thread copies the bulk (up to
/// three passes, while the last one left many frames), and the writer copies the rest the
/// next time it has nothing queued (`finish(on:)`). Nothing commits while the writer
/// itself checkpoints, so that checkpoint completes, and the next commit starts the WAL over.
/// Only what is queued during those few hundred microseconds waits for it.
///
/// A backstop bounds the WAL when the writer is never idle: past `backstopPages` the writer
/// checkpoints inline, as SQLite would have, but by then this thread has copied most frames.
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
    /// WAL size (frames) after the writer's last commit, from the hook.
    private let walFrames = Atomic<Int32>(0)
    /// This thread copied the bulk; the writer completes the checkpoint when idle.
    private let finishPending = Atomic<Bool>(false)
    /// WAL size past which this thread copies again although the writer has not finished (a
    /// writer that is never idle): half a threshold past its last pass.
    private let copyAgainFrom = Atomic<Int32>(0)
    private let finishedByWriter = Atomic<Int>(0)
    private let passes = Atomic<Int>(0)
    /// Frames a pass may leave behind for the writer; more, and this thread makes another pass.
    private static let framesLeftToWriter: Int32 = 256

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
            let before = checkpointer.walFrames.exchange(pages, ordering: .relaxed)
            if pages < before {
                // The WAL started over: whatever the writer was asked to finish is done.
                checkpointer.finishPending.store(false, ordering: .relaxed)
            }
            if pages >= checkpointer.backstopPages, let database {
                // Behind by far: checkpoint here, as SQLite's own hook would. The next
                // commit starts the WAL over if it completes.
                sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                checkpointer.finishPending.store(false, ordering: .relaxed)
            } else if pages >= checkpointer.thresholdPages {
                // While the writer is to finish, another pass here would chase the same
                // frames, unless the writer stays busy that long.
                if !checkpointer.writerShouldFinish || pages >= checkpointer.copyAgainFrom.load(ordering: .relaxed) {
                    checkpointer.request()
                }
            }
            return 0
        }, context: Unmanaged.passUnretained(self).toOpaque())
    }

    /// Asks for a checkpoint soon. Requests made while one runs are dropped: the writer
    /// finishes what that one leaves. (The broadcast never wakes the thread for nothing: when
    /// nothing is set here, it is running or already woken.)
    func request() {
        state.withLockBroadcasting { state in
            if !state.running { state.requested = true }
        }
    }

    /// This thread copied the bulk of a checkpoint and the writer is to complete it.
    var writerShouldFinish: Bool { finishPending.load(ordering: .relaxed) }

    /// Called by the writer, on its own connection, when nothing is queued and
    /// `writerShouldFinish`: completes the checkpoint this thread started.
    func finish(on writer: SQLiteConnection) {
        // Once per pass of this thread: should a reader's snapshot keep even this checkpoint
        // from completing, the next commit over the threshold starts over.
        finishPending.store(false, ordering: .relaxed)
        // A checkpoint that found another one running reports -1 frames: not a completion.
        if let outcome = try? writer.checkpointPassively(), outcome.walFrames >= 0, outcome.checkpointedFrames == outcome.walFrames {
            finishedByWriter.add(1, ordering: .relaxed)
        }
    }

    /// Checkpoints the writer completed (tests).
    var writerCompletions: Int { finishedByWriter.load(ordering: .relaxed) }

    /// Checkpoints this thread ran (tests).
    var threadPasses: Int { passes.load(ordering: .relaxed) }

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

    /// One pass, and up to two more while commits during the last one left many frames; then
    /// asks the writer to finish.
    private func copyBulk(_ connection: SQLiteConnection) {
        for _ in 0..<3 {
            passes.add(1, ordering: .relaxed)
            guard let outcome = try? connection.checkpointPassively() else { return }
            // The outcome counts frames as of the pass's start; the hook has the current count.
            if walFrames.load(ordering: .relaxed) - outcome.checkpointedFrames <= Self.framesLeftToWriter { break }
        }
        copyAgainFrom.store(walFrames.load(ordering: .relaxed) + thresholdPages / 2, ordering: .relaxed)
        finishPending.store(true, ordering: .relaxed)
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
                copyBulk(connection)
                state.withLock { $0.running = false }
            }
            if stop { break }
        }
        connection.close()
        state.finishStopping()
    }
}
