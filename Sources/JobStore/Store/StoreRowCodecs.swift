import JobAPI
import ProtoRuntime

/// Conversions between the store's records and SQLite values.
///
/// Messages are stored as their protobuf encoding (our runtime's `serializedBytes()`), so a
/// newer server's unknown fields survive a round trip through an older one.
enum StoreRowCodecs {
    /// SQLite integers are signed 64-bit: larger values are refused rather than wrapped,
    /// which would break ordering.
    static func integer(_ value: UInt64, _ what: @autoclosure () -> String) throws(StoreError) -> Int64 {
        guard let integer = Int64(exactly: value) else {
            throw StoreError(.constraint, "\(what()) \(value) exceeds the largest value SQLite stores (\(Int64.max))")
        }
        return integer
    }

    /// A query bound from a caller's UInt64 (cursor, from-sequence): saturates, as every stored
    /// value is at most Int64.max anyway.
    static func saturatingInteger(_ value: UInt64) -> Int64 {
        Int64(exactly: value) ?? Int64.max
    }

    /// Decodes a message from a blob column without copying the bytes.
    static func decode<Message: ProtoMessage>(
        _ type: Message.Type, from statement: SQLiteStatement, column: Int32
    ) throws(StoreError) -> Message {
        try statement.withBlob(column) { bytes throws(StoreError) in
            do {
                return try Message(serializedBytes: bytes)
            } catch {
                throw StoreError(.corrupt, "a stored \(Message.protoMessageName) does not decode: \(error)")
            }
        }
    }

    /// Decodes a nullable blob column: NULL is nil.
    static func decodeOptional<Message: ProtoMessage>(
        _ type: Message.Type, from statement: SQLiteStatement, column: Int32
    ) throws(StoreError) -> Message? {
        statement.isNull(column) ? nil : try decode(type, from: statement, column: column)
    }

    /// Binds a message's encoding, or NULL for nil.
    static func bind<Message: ProtoMessage>(_ message: Message?, to statement: SQLiteStatement, at index: Int32) throws(StoreError) {
        if let message {
            try statement.bind(message.serializedBytes(), at: index)
        } else {
            try statement.bindNull(at: index)
        }
    }

    // MARK: Jobs

    /// The columns every job query selects, in the order `storedJob(from:)` reads them.
    static let jobColumns = "submit_order, idempotency_key, job"

    static func storedJob(from statement: SQLiteStatement) throws(StoreError) -> StoredJob {
        StoredJob(
            job: try decode(Hodei_V1_Job.self, from: statement, column: 2),
            idempotencyKey: statement.string(1),
            submitOrder: UInt64(bitPattern: statement.int64(0))
        )
    }

    // MARK: Events

    /// What the `job_events` row of an event holds besides its payload.
    struct EventColumns {
        /// 0 unset, 1 snapshot, 2 state change, 3 progress, 4 log, 5 result.
        var kind: Int64
        var attempt: Int64
        /// LogEntry.sequence of a log event; nil for other kinds.
        var logSequence: Int64?
        var stream: Int64?
    }

    static let logEventKind: Int64 = 4

    static func eventColumns(of event: Hodei_V1_JobEvent) throws(StoreError) -> EventColumns {
        switch event.kind {
        case nil:
            return EventColumns(kind: 0, attempt: 0)
        case .snapshot(let job):
            return EventColumns(kind: 1, attempt: Int64(job.attempt))
        case .stateChanged(let change):
            return EventColumns(kind: 2, attempt: Int64(change.attempt))
        case .progress(let progress):
            return EventColumns(kind: 3, attempt: Int64(progress.attempt))
        case .log(let entry):
            return EventColumns(
                kind: logEventKind, attempt: Int64(entry.attempt),
                logSequence: try integer(entry.sequence, "LogEntry.sequence"), stream: Int64(entry.stream.rawValue)
            )
        case .result(let result):
            return EventColumns(kind: 5, attempt: Int64(result.attempt))
        }
    }
}
