import JobAPI
import ProtoRuntime

/// The store's reads, run on a reader thread with that thread's connection. Each call reads
/// one consistent snapshot of committed data (one statement, or an explicit read transaction).
struct StoreQueries {
    let connection: SQLiteConnection

    func loadState() throws(StoreError) -> StoredState {
        // One read transaction: the jobs, workers and maximum come from the same snapshot.
        try connection.run("BEGIN")
        defer { try? connection.run("COMMIT") }
        let active = [Hodei_V1_JobState.queued, .assigned, .running].map { String($0.rawValue) }.joined(separator: ", ")
        let jobs = try connection.withStatement(
            "SELECT \(StoreRowCodecs.jobColumns) FROM jobs WHERE state IN (\(active)) ORDER BY submit_order"
        ) { statement throws(StoreError) in
            var jobs: [StoredJob] = []
            while try statement.step() { jobs.append(try StoreRowCodecs.storedJob(from: statement)) }
            return jobs
        }
        let workers = try connection.withStatement(
            "SELECT id, name, state, capabilities, registered_at, last_heartbeat_at FROM workers ORDER BY id"
        ) { statement throws(StoreError) in
            var workers: [StoredWorker] = []
            while try statement.step() {
                workers.append(
                    StoredWorker(
                        id: statement.string(0), name: statement.string(1),
                        capabilities: try StoreRowCodecs.decode(Hodei_V1_WorkerCapabilities.self, from: statement, column: 3),
                        state: Hodei_V1_WorkerState(rawValue: Int32(truncatingIfNeeded: statement.int64(2))),
                        registeredAt: try StoreRowCodecs.decode(Google_Protobuf_Timestamp.self, from: statement, column: 4),
                        lastHeartbeatAt: try StoreRowCodecs.decode(Google_Protobuf_Timestamp.self, from: statement, column: 5)
                    )
                )
            }
            return workers
        }
        let last = try connection.scalarInt64("SELECT coalesce(max(submit_order), 0) FROM jobs") ?? 0
        return StoredState(activeJobs: jobs, workers: workers, lastSubmitOrder: UInt64(bitPattern: last))
    }

    func job(id: String) throws(StoreError) -> StoredJob? {
        try connection.withStatement("SELECT \(StoreRowCodecs.jobColumns) FROM jobs WHERE id = ?1") { statement throws(StoreError) in
            try statement.bind(id, at: 1)
            return try statement.step() ? StoreRowCodecs.storedJob(from: statement) : nil
        }
    }

    func job(idempotencyKey: String) throws(StoreError) -> StoredJob? {
        guard !idempotencyKey.isEmpty else { return nil }
        return try connection.withStatement(
            "SELECT \(StoreRowCodecs.jobColumns) FROM jobs WHERE idempotency_key = ?1"
        ) { statement throws(StoreError) in
            try statement.bind(idempotencyKey, at: 1)
            return try statement.step() ? StoreRowCodecs.storedJob(from: statement) : nil
        }
    }

    func jobs(matching query: JobQuery) throws(StoreError) -> JobPage {
        let plan = JobQuerySQL(query)
        var jobs = try connection.withStatement(plan.sql) { statement throws(StoreError) in
            try plan.bind(to: statement)
            var jobs: [StoredJob] = []
            while try statement.step() { jobs.append(try StoreRowCodecs.storedJob(from: statement)) }
            return jobs
        }
        // The query asks for one row more than a page: its presence says a next page exists.
        guard jobs.count > plan.pageSize else { return JobPage(jobs: jobs, nextCursor: nil) }
        jobs.removeLast(jobs.count - plan.pageSize)
        return JobPage(jobs: jobs, nextCursor: jobs.last?.submitOrder)
    }

    func events(jobID: String, fromSequence: UInt64, includeLogs: Bool, limit: Int) throws(StoreError) -> [Hodei_V1_JobEvent] {
        guard limit > 0 else { return [] }
        let sql = includeLogs
            ? "SELECT payload FROM job_events WHERE job_id = ?1 AND sequence >= ?2 ORDER BY sequence LIMIT ?3"
            : "SELECT payload FROM job_events WHERE job_id = ?1 AND sequence >= ?2 AND kind != \(StoreRowCodecs.logEventKind) ORDER BY sequence LIMIT ?3"
        return try connection.withStatement(sql) { statement throws(StoreError) in
            try statement.bind(jobID, at: 1)
            try statement.bind(StoreRowCodecs.saturatingInteger(fromSequence), at: 2)
            try statement.bind(Int64(limit), at: 3)
            var events: [Hodei_V1_JobEvent] = []
            while try statement.step() { events.append(try StoreRowCodecs.decode(Hodei_V1_JobEvent.self, from: statement, column: 0)) }
            return events
        }
    }

    /// `stream` nil or `.unspecified` means every stream (as in GetJobLogsRequest).
    func logs(jobID: String, attempt: UInt32, fromSequence: UInt64, stream: Hodei_V1_LogStream?, limit: Int) throws(StoreError) -> [Hodei_V1_LogEntry] {
        guard limit > 0 else { return [] }
        let streamFilter = stream.flatMap { $0 == .unspecified ? nil : $0 }
        let sql = """
            SELECT payload FROM job_events WHERE job_id = ?1 AND attempt = ?2 AND log_sequence >= ?3
            \(streamFilter == nil ? "" : "AND stream = ?5") ORDER BY log_sequence LIMIT ?4
            """
        return try connection.withStatement(sql) { statement throws(StoreError) in
            try statement.bind(jobID, at: 1)
            try statement.bind(Int64(attempt), at: 2)
            try statement.bind(StoreRowCodecs.saturatingInteger(fromSequence), at: 3)
            try statement.bind(Int64(limit), at: 4)
            if let streamFilter { try statement.bind(Int64(streamFilter.rawValue), at: 5) }
            var entries: [Hodei_V1_LogEntry] = []
            while try statement.step() {
                let event = try StoreRowCodecs.decode(Hodei_V1_JobEvent.self, from: statement, column: 0)
                guard case .log(let entry) = event.kind else {
                    throw StoreError(.corrupt, "job \(jobID): event \(event.sequence) is indexed as a log line but holds none")
                }
                entries.append(entry)
            }
            return entries
        }
    }

    func attempts(jobID: String) throws(StoreError) -> [StoredAttempt] {
        try connection.withStatement(
            "SELECT attempt, worker_id, assigned_at, started_at, finished_at, result FROM attempts WHERE job_id = ?1 ORDER BY attempt"
        ) { statement throws(StoreError) in
            try statement.bind(jobID, at: 1)
            var attempts: [StoredAttempt] = []
            while try statement.step() {
                attempts.append(
                    StoredAttempt(
                        jobID: jobID, attempt: UInt32(truncatingIfNeeded: statement.int64(0)), workerID: statement.string(1),
                        assignedAt: try StoreRowCodecs.decode(Google_Protobuf_Timestamp.self, from: statement, column: 2),
                        startedAt: try StoreRowCodecs.decodeOptional(Google_Protobuf_Timestamp.self, from: statement, column: 3),
                        finishedAt: try StoreRowCodecs.decodeOptional(Google_Protobuf_Timestamp.self, from: statement, column: 4),
                        result: try StoreRowCodecs.decodeOptional(Hodei_V1_JobResult.self, from: statement, column: 5)
                    )
                )
            }
            return attempts
        }
    }

    func lastEventSequence(jobID: String) throws(StoreError) -> UInt64 {
        try connection.withStatement("SELECT coalesce(max(sequence), 0) FROM job_events WHERE job_id = ?1") { statement throws(StoreError) in
            try statement.bind(jobID, at: 1)
            return try statement.step() ? UInt64(bitPattern: statement.int64(0)) : 0
        }
    }

    func lastLogSequence(jobID: String, attempt: UInt32) throws(StoreError) -> UInt64 {
        try connection.withStatement(
            "SELECT coalesce(max(log_sequence), 0) FROM job_events WHERE job_id = ?1 AND attempt = ?2 AND log_sequence IS NOT NULL"
        ) { statement throws(StoreError) in
            try statement.bind(jobID, at: 1)
            try statement.bind(Int64(attempt), at: 2)
            return try statement.step() ? UInt64(bitPattern: statement.int64(0)) : 0
        }
    }
}
