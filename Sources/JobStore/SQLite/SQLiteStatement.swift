import CSQLite

/// One prepared statement, owned by the `SQLiteConnection` that prepared it and used only on
/// that connection's thread. Reused for every execution: `SQLiteConnection.withStatement`
/// resets it and clears its bindings after each use, so it never holds a read snapshot open.
///
/// Parameter and column indexes are 1-based for binding and 0-based for columns, as in SQLite.
final class SQLiteStatement {
    let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String

    init(handle: OpaquePointer, connection: OpaquePointer, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding

    func bind(_ value: Int64, at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_int64(handle, index, value), "bind")
    }

    func bind(_ value: String, at index: Int32) throws(StoreError) {
        var text = value
        let code = text.withUTF8 { utf8 -> Int32 in
            // A nil pointer would bind NULL; an empty string must stay an empty text.
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return CSQLite_bind_text_transient(handle, index, "", 0)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                CSQLite_bind_text_transient(handle, index, $0, Int32(utf8.count))
            }
        }
        try check(code, "bind")
    }

    /// Binds the bytes as a blob; an empty array binds a zero-length blob (not NULL).
    func bind(_ bytes: [UInt8], at index: Int32) throws(StoreError) {
        let code = bytes.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress, !raw.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return CSQLite_bind_blob_transient(handle, index, base, Int32(raw.count))
        }
        try check(code, "bind")
    }

    func bindNull(at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_null(handle, index), "bind")
    }

    // MARK: Stepping

    /// Advances the statement: true when a row is available, false when it is done.
    func step() throws(StoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw StoreError(sqliteCode: code, handle: connection, context: "step")
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(StoreError) {
        while try step() {}
    }

    func reset() {
        // The result repeats the last step's error, which was already reported.
        _ = sqlite3_reset(handle)
        _ = sqlite3_clear_bindings(handle)
    }

    // MARK: Columns

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Lends the column's bytes (valid only inside `body`, without copying them).
    func withBlob<Result>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws(StoreError) -> Result) throws(StoreError) -> Result {
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: count == 0 ? nil : pointer, count: count))
    }

    private func check(_ code: Int32, _ what: String) throws(StoreError) {
        guard code == SQLITE_OK else { throw StoreError(sqliteCode: code, handle: connection, context: what) }
    }
}
