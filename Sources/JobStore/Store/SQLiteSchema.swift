/// The store's schema, as an ordered list of migrations. Migration `n` (1-based) brings a
/// database from `PRAGMA user_version` n - 1 to n. Append new migrations; never edit one that
/// has shipped.
///
/// Layout (version 1):
/// - `jobs`: one row per job; `submit_order` is the rowid, so paging newest-first walks the
///   table itself. `job` is the whole `hodei.v1.Job` message; `state`, `worker_id` and
///   `idempotency_key` (NULL when empty) are copied out of it for filters and uniqueness.
/// - `job_labels`: `spec.labels` of each job, with the job's submit order, so that a label
///   filter walks its (key, value, submit_order) index newest-first and stops after a page.
/// - `attempts`: one row per (job, attempt); timestamps and result are protobuf blobs. The
///   server writes an attempt's row when the attempt ends (result, cancellation, loss); the
///   attempt in progress is described by its job's row.
/// - `job_events`: every stored `hodei.v1.JobEvent` of a job by its sequence. Log events
///   also carry their (attempt, LogEntry.sequence, stream); a partial unique index over
///   those makes a resent log line an ignored duplicate.
/// - `workers`: registered workers; capabilities and timestamps are protobuf blobs.
enum SQLiteSchema {
    static let migrations: [String] = [version1]

    /// The version a fully migrated database has.
    static var currentVersion: Int64 { Int64(migrations.count) }

    private static let version1 = """
        CREATE TABLE jobs (
            submit_order    INTEGER PRIMARY KEY,
            id              TEXT NOT NULL UNIQUE,
            state           INTEGER NOT NULL,
            worker_id       TEXT NOT NULL,
            idempotency_key TEXT UNIQUE,
            created_at      INTEGER NOT NULL,
            job             BLOB NOT NULL
        );
        CREATE INDEX jobs_by_state ON jobs (state, submit_order);
        CREATE INDEX jobs_by_worker ON jobs (worker_id, submit_order);

        CREATE TABLE job_labels (
            job_id TEXT NOT NULL REFERENCES jobs (id),
            key    TEXT NOT NULL,
            value  TEXT NOT NULL,
            submit_order INTEGER NOT NULL,
            PRIMARY KEY (job_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX job_labels_by_pair ON job_labels (key, value, submit_order);

        CREATE TABLE attempts (
            job_id      TEXT NOT NULL REFERENCES jobs (id),
            attempt     INTEGER NOT NULL,
            worker_id   TEXT NOT NULL,
            assigned_at BLOB NOT NULL,
            started_at  BLOB,
            finished_at BLOB,
            result      BLOB,
            PRIMARY KEY (job_id, attempt)
        ) WITHOUT ROWID;

        CREATE TABLE job_events (
            job_id       TEXT NOT NULL REFERENCES jobs (id),
            sequence     INTEGER NOT NULL,
            kind         INTEGER NOT NULL,
            attempt      INTEGER NOT NULL,
            log_sequence INTEGER,
            stream       INTEGER,
            payload      BLOB NOT NULL,
            PRIMARY KEY (job_id, sequence)
        );
        CREATE UNIQUE INDEX job_events_log_lines ON job_events (job_id, attempt, log_sequence)
            WHERE log_sequence IS NOT NULL;

        CREATE TABLE workers (
            id                TEXT PRIMARY KEY,
            name              TEXT NOT NULL UNIQUE,
            state             INTEGER NOT NULL,
            capabilities      BLOB NOT NULL,
            registered_at     BLOB NOT NULL,
            last_heartbeat_at BLOB NOT NULL
        );
        """
}
