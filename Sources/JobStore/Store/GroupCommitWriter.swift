import Glibc
import JobAPI
import Synchronization

/// The store's only writer: a dedicated thread with its own connection that commits queued
/// `write(_:)` calls in group transactions.
///
/// `enqueue` appends a call to a locked queue in call order and wakes the thread. The thread
/// takes everything queued (at most `maxCallsPerTransaction` calls), applies it in one
/// `BEGIN IMMEDIATE … COMMIT` (replayed with a savepoint per call when a call fails, so that
/// a failing call, such as a constraint, is rolled back alone), then resolves the tickets, or
/// hands them to the `WALSyncer` that flushes the commit. Thousands of calls per second thus
/// cost a few fsyncs.
///
/// Lifecycle: running → stopping (`close()` called: new calls fail with `.closed`, queued
/// ones are still committed) → finished (connection closed, `close()` callers resumed).
final class GroupCommitWriter: Sendable {
    private struct PendingCall {
        var mutations: [StoreMutation]
        var ticket: StoreWriteTicket
    }

    private struct State: StoppableThreadState {
        var queue: [PendingCall] = []
        var stop = ThreadStopState()
    }

    private let state = GuardedState(State())
    private let maxCallsPerTransaction: Int
    private let committed = Atomic<Int>(0)
    private let committedCalls = Atomic<Int>(0)

    /// Kept alive as long as this writer's connection: its WAL hook points to it.
    private let checkpointer: Checkpointer?
    /// Flushes the commits and resolves their tickets; nil when commits are not flushed by us
    /// (SQLite flushes inside COMMIT, or nobody does with `synchronous: .normal`).
    private let syncer: WALSyncer?

    /// Takes ownership of `connection` (already migrated) and starts the thread.
    init(connection: sending SQLiteConnection, maxCallsPerTransaction: Int, checkpointer: Checkpointer? = nil, syncer: WALSyncer? = nil) {
        self.maxCallsPerTransaction = max(1, maxCallsPerTransaction)
        self.checkpointer = checkpointer
        self.syncer = syncer
        // The connection moves to the thread and is used only there from now on.
        let owned = ConnectionTransfer(connection)
        DedicatedThread.start(name: "hodei-writer") { [self] in
            run(owned.take())
        }
    }

    /// Transactions committed since the store opened (each holds one or more calls).
    var committedTransactions: Int { committed.load(ordering: .relaxed) }

    /// `write(_:)` calls whose transaction committed (failed calls excluded).
    var committedWriteCalls: Int { committedCalls.load(ordering: .relaxed) }

    /// Queues one call behind every earlier one; returns its ticket.
    func enqueue(_ mutations: [StoreMutation]) -> StoreWriteTicket {
        let call = PendingCall(mutations: mutations, ticket: StoreWriteTicket())
        let accepted = state.withLockBroadcasting { state -> Bool in
            guard !state.stop.stopping else { return false }
            state.queue.append(call)
            return true
        }
        if !accepted { call.ticket.resolve(.failure(StoreError(.closed, "the store is closed"))) }
        return call.ticket
    }

    /// Queues several calls at once, so that no batch boundary falls between them (unless the
    /// batch bound does); returns their tickets in order.
    func enqueue(calls: [[StoreMutation]]) -> [StoreWriteTicket] {
        let pending = calls.map { PendingCall(mutations: $0, ticket: StoreWriteTicket()) }
        let accepted = state.withLockBroadcasting { state -> Bool in
            guard !state.stop.stopping else { return false }
            state.queue.append(contentsOf: pending)
            return true
        }
        if !accepted {
            for call in pending { call.ticket.resolve(.failure(StoreError(.closed, "the store is closed"))) }
        }
        return pending.map(\.ticket)
    }

    /// Stops taking calls, commits what is queued, closes the connection; returns after.
    func close() async {
        await state.stopAndWait()
    }

    /// Asks the thread to stop without waiting (the store's deinit).
    func stopWithoutWaiting() {
        state.requestStop()
    }

    // MARK: The writer thread

    private func run(_ connection: SQLiteConnection) {
        let applier = StoreMutationApplier(connection: connection)
        while true {
            state.wait(until: { !$0.queue.isEmpty || $0.stop.stopping }) { _ in }
            syncer?.waitUntilFlushing()
            // The thread that woke us is usually still queuing what belongs with its first
            // call (a submission's placement, a result after an acceptance). On a shared core
            // the wake-up preempts it; yielding lets it finish, so that one commit (one fsync)
            // carries all of it instead of two back to back. Without contention this returns
            // at once.
            sched_yield()
            let (batch, last) = state.withLock { state -> ([PendingCall], Bool) in
                let batch: [PendingCall]
                if state.queue.count <= maxCallsPerTransaction {
                    batch = state.queue
                    state.queue = []
                } else {
                    batch = Array(state.queue.prefix(maxCallsPerTransaction))
                    state.queue.removeFirst(maxCallsPerTransaction)
                }
                return (batch, state.stop.stopping && state.queue.isEmpty)
            }
            if !batch.isEmpty { commit(batch, applier: applier, connection: connection) }
            if last { break }
            if let checkpointer, checkpointer.writerShouldFinish, state.withLock({ $0.queue.isEmpty }) {
                checkpointer.finish(on: connection)
            }
        }
        syncer?.finish()
        connection.close()
        state.finishStopping()
    }

    /// Applies a batch in one transaction and resolves its tickets (through the syncer, if any).
    ///
    /// First without savepoints: a savepoint makes SQLite copy every page it touches into a
    /// statement journal, which cost a large share of the writer's time. Only when a call
    /// fails is the transaction rolled back and the batch replayed with a savepoint per call,
    /// so that the failing call alone is undone.
    private func commit(_ batch: [PendingCall], applier: StoreMutationApplier, connection: SQLiteConnection) {
        let outcomes: [Result<Void, StoreError>]
        do throws(StoreError) {
            if try applyWhole(batch, applier: applier, connection: connection) {
                outcomes = Array(repeating: .success(()), count: batch.count)
            } else {
                outcomes = try applyCallByCall(batch, applier: applier, connection: connection)
            }
            try connection.run("COMMIT")
        } catch {
            // BEGIN or COMMIT failed, or SQLite rolled the whole transaction back (I/O error,
            // disk full): nothing of the batch is durable, so every call fails.
            if connection.isInTransaction { try? connection.run("ROLLBACK") }
            resolve(batch, Array(repeating: .failure(error), count: batch.count), committed: false)
            return
        }
        committed.add(1, ordering: .relaxed)
        committedCalls.add(outcomes.count(where: { if case .success = $0 { true } else { false } }), ordering: .relaxed)
        resolve(batch, outcomes, committed: true)
    }

    private func resolve(_ batch: [PendingCall], _ outcomes: [Result<Void, StoreError>], committed: Bool) {
        if let syncer {
            syncer.hand(WALSyncer.Batch(tickets: batch.map(\.ticket), outcomes: outcomes, committed: committed))
        } else {
            for (call, outcome) in zip(batch, outcomes) { call.ticket.resolve(outcome) }
        }
    }

    /// Opens the transaction and applies every call of the batch; true when all succeeded
    /// (the transaction is left open), false when one failed (the transaction was rolled back).
    private func applyWhole(_ batch: [PendingCall], applier: StoreMutationApplier, connection: SQLiteConnection) throws(StoreError) -> Bool {
        try connection.run("BEGIN IMMEDIATE")
        do throws(StoreError) {
            // Row writes that overwrite each other within the batch are written once, and the
            // events of every call go in last, several rows per statement (their jobs are
            // written by then). A failure replays the batch as it was queued, call by call
            // (see `applyCallByCall`).
            var eventRows: [(jobID: String, event: Hodei_V1_JobEvent)] = []
            for mutations in BatchCoalescing.coalesce(batch.map(\.mutations)) {
                for mutation in mutations {
                    if case .appendEvents(let jobID, let events) = mutation {
                        for event in events { eventRows.append((jobID, event)) }
                    } else {
                        try applier.apply(mutation)
                    }
                }
            }
            try applier.insertEventRows(eventRows)
            return true
        } catch {
            if connection.isInTransaction { try connection.run("ROLLBACK") }
            return false
        }
    }

    /// Opens a new transaction and applies each call in its own savepoint; returns each call's
    /// outcome (the transaction is left open).
    private func applyCallByCall(
        _ batch: [PendingCall], applier: StoreMutationApplier, connection: SQLiteConnection
    ) throws(StoreError) -> [Result<Void, StoreError>] {
        try connection.run("BEGIN IMMEDIATE")
        var outcomes: [Result<Void, StoreError>] = []
        outcomes.reserveCapacity(batch.count)
        for call in batch {
            outcomes.append(try apply(call.mutations, applier: applier, connection: connection))
        }
        return outcomes
    }

    /// Applies one call inside a savepoint. Returns its failure as a value when only this call
    /// is undone; throws when the surrounding transaction itself is gone.
    private func apply(
        _ mutations: [StoreMutation], applier: StoreMutationApplier, connection: SQLiteConnection
    ) throws(StoreError) -> Result<Void, StoreError> {
        guard !mutations.isEmpty else { return .success(()) }
        try connection.run("SAVEPOINT call")
        do throws(StoreError) {
            for mutation in mutations { try applier.apply(mutation) }
            try connection.run("RELEASE call")
            return .success(())
        } catch {
            guard connection.isInTransaction else { throw error }
            try connection.run("ROLLBACK TO call")
            try connection.run("RELEASE call")
            return .failure(error)
        }
    }
}
