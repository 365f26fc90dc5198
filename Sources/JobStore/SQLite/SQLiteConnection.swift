import CSQLite

/// The one Swift owner of a `sqlite3*` handle, with its cache of prepared statements.
///
/// Not thread-safe: the store opens one connection per dedicated thread (the writer, each
/// reader) and uses it only there. It is created on the caller's thread (so that opening
/// errors surface from `SQLiteJobStore.init`) and then handed to its thread, which closes it.
final class SQLiteConnection {
    /// Configures SQLite once, before the first connection initializes it.
    private static let configured: Bool = {
        // Best effort: if something else in the process initialized SQLite first, it keeps
        // its statistics, which costs time and nothing else.
        _ = CSQLite_disable_memory_statistics()
        return true
    }()

    let path: String
    private var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]
    /// Statements of `withStatement(literal:)`, by the literal's address. The writer runs about
    /// ten statements per job; looking each up by its text hashed up to 200 bytes of SQL every
    /// time, 1.3 % of the server's CPU at full dispatch load. Literals are few, so this cache
    /// is never evicted.
    private var literalStatements: [UInt: SQLiteStatement] = [:]
    private let statementCacheCapacity: Int

    /// Opens (creating if needed) the database file at `path`.
    ///
    /// - Throws: `StoreError` when the file cannot be opened, or is not a SQLite database
    ///   (detected by reading its header, which `sqlite3_open_v2` alone does not do).
    init(path: String, busyTimeoutMilliseconds: Int32, statementCacheCapacity: Int = 64) throws(StoreError) {
        self.path = path
        self.statementCacheCapacity = max(1, statementCacheCapacity)
        _ = Self.configured
        var opened: OpaquePointer?
        // NOMUTEX: each connection is used by one thread at a time, so SQLite's own
        // per-connection mutex would only cost time.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let error = StoreError(sqliteCode: code, handle: opened, context: "open \(path)")
            sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, busyTimeoutMilliseconds)
        // The first read of the schema validates the header: garbage fails here with
        // SQLITE_NOTADB instead of later, on the writer's thread.
        do throws(StoreError) {
            _ = try scalarInt64("PRAGMA schema_version")
        } catch {
            close()
            throw StoreError(error.kind, "open \(path): \(error.message)")
        }
    }

    deinit { close() }

    /// Finalizes every cached statement and closes the handle. Idempotent.
    func close() {
        literalStatements.removeAll()
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    private func openHandle() throws(StoreError) -> OpaquePointer {
        guard let handle else { throw StoreError(.closed, "the connection to \(path) is closed") }
        return handle
    }

    /// The `sqlite3*`, for the few calls made outside this file (see SQLiteConnection+WAL).
    func rawHandle() throws(StoreError) -> OpaquePointer { try openHandle() }

    /// Runs one or more SQL statements that take no parameters (schema, pragmas, BEGIN...).
    func execute(_ sql: String) throws(StoreError) {
        let handle = try openHandle()
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let detail = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw StoreError(StoreError.kind(ofSQLiteCode: code), "\(sql.prefix(60)): \(detail) (sqlite code \(code))")
        }
    }

    /// Runs one parameterless statement through the statement cache: for statements run
    /// often, such as BEGIN, COMMIT and SAVEPOINT, which `execute` would parse every time.
    func run(_ sql: StaticString) throws(StoreError) {
        try withStatement(literal: sql) { statement throws(StoreError) in try statement.run() }
    }

    /// The first column of the first row of a parameterless query (e.g. a PRAGMA), or nil.
    func scalarInt64(_ sql: String) throws(StoreError) -> Int64? {
        try withStatement(sql) { statement throws(StoreError) in
            try statement.step() ? statement.int64(0) : nil
        }
    }

    /// The first column of the first row of a parameterless query, as text, or nil.
    func scalarString(_ sql: String) throws(StoreError) -> String? {
        try withStatement(sql) { statement throws(StoreError) in
            try statement.step() ? statement.string(0) : nil
        }
    }

    /// Lends the cached prepared statement for `sql` (preparing it on first use); resets it
    /// and clears its bindings afterwards, even when `body` throws.
    func withStatement<Result>(_ sql: String, _ body: (SQLiteStatement) throws(StoreError) -> Result) throws(StoreError) -> Result {
        try lend(try cachedStatement(sql), to: body)
    }

    /// `withStatement(_:_:)` for SQL written as a literal, found by the literal's address.
    func withStatement<Result>(literal sql: StaticString, _ body: (SQLiteStatement) throws(StoreError) -> Result) throws(StoreError) -> Result {
        let key = UInt(bitPattern: sql.utf8Start)
        if let cached = literalStatements[key] { return try lend(cached, to: body) }
        let statement = try prepare(sql.description)
        literalStatements[key] = statement
        return try lend(statement, to: body)
    }

    /// Runs `body` with `statement`, then resets it and clears its bindings, even when `body`
    /// throws; an error names the statement.
    private func lend<Result>(_ statement: SQLiteStatement, to body: (SQLiteStatement) throws(StoreError) -> Result) throws(StoreError) -> Result {
        defer { statement.reset() }
        do throws(StoreError) {
            return try body(statement)
        } catch {
            throw StoreError(error.kind, "\(error.message) in \"\(statement.sql.prefix(80))\"")
        }
    }

    private func cachedStatement(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try prepare(sql)
        // Queries built from filters vary; a full cache starts over rather than growing.
        if statements.count >= statementCacheCapacity { statements.removeAll() }
        statements[sql] = statement
        return statement
    }

    private func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        let handle = try openHandle()
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            throw StoreError(sqliteCode: code, handle: handle, context: "prepare \"\(sql.prefix(80))\"")
        }
        return SQLiteStatement(handle: prepared, connection: handle, sql: sql)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int {
        guard let handle else { return 0 }
        return Int(sqlite3_changes(handle))
    }

    /// False while a transaction is open. SQLite rolls a transaction back by itself after
    /// some errors (I/O, disk full); the writer checks this to know whether its batch survives.
    var isInTransaction: Bool {
        guard let handle else { return false }
        return sqlite3_get_autocommit(handle) == 0
    }
}
