import JobAPI
import ProtoRuntime

/// Applies `StoreMutation`s through the writer's connection, inside the transaction (and
/// savepoint) the writer has opened. Used only on the writer thread.
struct StoreMutationApplier {
    let connection: SQLiteConnection

    /// Applies one mutation; a failure names the mutation and carries SQLite's message.
    func apply(_ mutation: StoreMutation) throws(StoreError) {
        switch mutation {
        case .insertJob(let stored):
            try insertJob(stored)
        case .updateJob(let stored):
            try updateJob(stored)
        case .updateJobStatus(let stored):
            try updateJobStatus(stored)
        case .upsertAttempt(let attempt):
            try upsertAttempt(attempt)
        case .appendEvents(let jobID, let events):
            try appendEvents(jobID: jobID, events: events)
        case .upsertWorker(let worker):
            try upsertWorker(worker)
        }
    }

    private func insertJob(_ stored: StoredJob) throws(StoreError) {
        try named("insertJob \(stored.job.id)") { () throws(StoreError) in
            try connection.withStatement(
                literal: "INSERT INTO jobs (submit_order, id, state, worker_id, idempotency_key, created_at, job) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ) { statement throws(StoreError) in
                try bindJobRow(stored, to: statement)
                try statement.run()
            }
            try insertLabels(of: stored)
        }
    }

    private func updateJob(_ stored: StoredJob) throws(StoreError) {
        try named("updateJob \(stored.job.id)") { () throws(StoreError) in
            try connection.withStatement(
                literal: "UPDATE jobs SET submit_order = ?1, state = ?3, worker_id = ?4, idempotency_key = ?5, created_at = ?6, job = ?7 WHERE id = ?2"
            ) { statement throws(StoreError) in
                try bindJobRow(stored, to: statement)
                try statement.run()
            }
            guard connection.changes == 1 else { throw StoreError(.constraint, "no stored job has this id") }
            // Labels come from the spec, which rarely changes, and carry the submit order;
            // rewriting them keeps the filter exact at the cost of a few small index writes.
            try connection.withStatement(literal: "DELETE FROM job_labels WHERE job_id = ?1") { statement throws(StoreError) in
                try statement.bind(stored.job.id, at: 1)
                try statement.run()
            }
            try insertLabels(of: stored)
        }
    }

    private func updateJobStatus(_ stored: StoredJob) throws(StoreError) {
        try named("updateJobStatus \(stored.job.id)") { () throws(StoreError) in
            // Only columns that change: SQLite rewrites the index entries of every column the
            // statement assigns, even to the same value (the rowid or the idempotency key
            // would mean every index of the row). Most updates keep the worker (running,
            // finished), so the first statement leaves worker_id, and its index, alone; the
            // second runs only when the worker did change (assigned, requeued).
            let job = stored.job
            let blob = job.serializedBytes()
            try connection.withStatement(literal: "UPDATE jobs SET state = ?2, job = ?4 WHERE id = ?1 AND worker_id = ?3") { statement throws(StoreError) in
                try bindStatus(job, blob, to: statement)
                try statement.run()
            }
            if connection.changes == 1 { return }
            try connection.withStatement(literal: "UPDATE jobs SET state = ?2, worker_id = ?3, job = ?4 WHERE id = ?1") { statement throws(StoreError) in
                try bindStatus(job, blob, to: statement)
                try statement.run()
            }
            guard connection.changes == 1 else { throw StoreError(.constraint, "no stored job has this id") }
        }
    }

    private func bindStatus(_ job: Hodei_V1_Job, _ blob: [UInt8], to statement: SQLiteStatement) throws(StoreError) {
        try statement.bind(job.id, at: 1)
        try statement.bind(Int64(job.state.rawValue), at: 2)
        try statement.bind(job.workerId, at: 3)
        try statement.bind(blob, at: 4)
    }

    private func bindJobRow(_ stored: StoredJob, to statement: SQLiteStatement) throws(StoreError) {
        let job = stored.job
        try statement.bind(StoreRowCodecs.integer(stored.submitOrder, "submitOrder"), at: 1)
        try statement.bind(job.id, at: 2)
        try statement.bind(Int64(job.state.rawValue), at: 3)
        try statement.bind(job.workerId, at: 4)
        if stored.idempotencyKey.isEmpty {
            // NULLs are distinct to UNIQUE: jobs without a key never collide.
            try statement.bindNull(at: 5)
        } else {
            try statement.bind(stored.idempotencyKey, at: 5)
        }
        try statement.bind(job.createdAt?.seconds ?? 0, at: 6)
        try statement.bind(job.serializedBytes(), at: 7)
    }

    private func insertLabels(of stored: StoredJob) throws(StoreError) {
        guard let labels = stored.job.spec?.labels, !labels.isEmpty else { return }
        let submitOrder = try StoreRowCodecs.integer(stored.submitOrder, "submitOrder")
        try connection.withStatement(
            literal: "INSERT INTO job_labels (job_id, key, value, submit_order) VALUES (?1, ?2, ?3, ?4)"
        ) { statement throws(StoreError) in
            for (key, value) in labels {
                try statement.bind(stored.job.id, at: 1)
                try statement.bind(key, at: 2)
                try statement.bind(value, at: 3)
                try statement.bind(submitOrder, at: 4)
                try statement.run()
                statement.reset()
            }
        }
    }

    private func upsertAttempt(_ attempt: StoredAttempt) throws(StoreError) {
        try named("upsertAttempt \(attempt.jobID)#\(attempt.attempt)") { () throws(StoreError) in
            try connection.withStatement(
                literal: """
                INSERT INTO attempts (job_id, attempt, worker_id, assigned_at, started_at, finished_at, result)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (job_id, attempt) DO UPDATE SET worker_id = excluded.worker_id,
                    assigned_at = excluded.assigned_at, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, result = excluded.result
                """
            ) { statement throws(StoreError) in
                try statement.bind(attempt.jobID, at: 1)
                try statement.bind(Int64(attempt.attempt), at: 2)
                try statement.bind(attempt.workerID, at: 3)
                try statement.bind(attempt.assignedAt.serializedBytes(), at: 4)
                try StoreRowCodecs.bind(attempt.startedAt, to: statement, at: 5)
                try StoreRowCodecs.bind(attempt.finishedAt, to: statement, at: 6)
                try StoreRowCodecs.bind(attempt.result, to: statement, at: 7)
                try statement.run()
            }
        }
    }

    private func appendEvents(jobID: String, events: [Hodei_V1_JobEvent]) throws(StoreError) {
        guard !events.isEmpty else { return }
        try named("appendEvents \(jobID)") { () throws(StoreError) in
            try insertEventRows(events.map { (jobID, $0) })
        }
    }

    /// Inserts event rows in chunks of several rows per statement (`EventInsertSQL`): SQLite
    /// still writes each row, but a statement's own cost (step, halt, reset) is paid once per
    /// chunk. A whole batch's events took 2-3 % more jobs/s at DISPATCH-T this way.
    ///
    /// OR IGNORE: an existing (job, sequence), or an existing (job, attempt, log sequence) for
    /// a log line, makes the row a dropped duplicate, in a chunk as alone; the first of two
    /// duplicates wins, as it would one row at a time. Foreign keys are not covered by OR
    /// IGNORE: events of an unknown job still fail.
    func insertEventRows(_ rows: [(jobID: String, event: Hodei_V1_JobEvent)]) throws(StoreError) {
        var start = 0
        while start < rows.count {
            let count = EventInsertSQL.chunk(for: rows.count - start)
            try connection.withStatement(EventInsertSQL.statement(rows: count)) { statement throws(StoreError) in
                for offset in 0..<count {
                    let (jobID, event) = rows[start + offset]
                    let base = Int32(offset * EventInsertSQL.columns)
                    let columns = try StoreRowCodecs.eventColumns(of: event)
                    try statement.bind(jobID, at: base + 1)
                    try statement.bind(StoreRowCodecs.integer(event.sequence, "JobEvent.sequence"), at: base + 2)
                    try statement.bind(columns.kind, at: base + 3)
                    try statement.bind(columns.attempt, at: base + 4)
                    if let logSequence = columns.logSequence { try statement.bind(logSequence, at: base + 5) } else { try statement.bindNull(at: base + 5) }
                    if let stream = columns.stream { try statement.bind(stream, at: base + 6) } else { try statement.bindNull(at: base + 6) }
                    try statement.bind(event.serializedBytes(), at: base + 7)
                }
                try statement.run()
            }
            start += count
        }
    }

    private func upsertWorker(_ worker: StoredWorker) throws(StoreError) {
        try named("upsertWorker \(worker.id)") { () throws(StoreError) in
            // Not INSERT OR REPLACE: that would silently delete another worker holding the name.
            try connection.withStatement(
                literal: """
                INSERT INTO workers (id, name, state, capabilities, registered_at, last_heartbeat_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, state = excluded.state,
                    capabilities = excluded.capabilities, registered_at = excluded.registered_at,
                    last_heartbeat_at = excluded.last_heartbeat_at
                """
            ) { statement throws(StoreError) in
                try statement.bind(worker.id, at: 1)
                try statement.bind(worker.name, at: 2)
                try statement.bind(Int64(worker.state.rawValue), at: 3)
                try statement.bind(worker.capabilities.serializedBytes(), at: 4)
                try statement.bind(worker.registeredAt.serializedBytes(), at: 5)
                try statement.bind(worker.lastHeartbeatAt.serializedBytes(), at: 6)
                try statement.run()
            }
        }
    }

    /// Prefixes a failure's message with the mutation it came from.
    private func named(_ what: @autoclosure () -> String, _ body: () throws(StoreError) -> Void) throws(StoreError) {
        do throws(StoreError) {
            try body()
        } catch {
            throw StoreError(error.kind, "\(what()): \(error.message)")
        }
    }
}
