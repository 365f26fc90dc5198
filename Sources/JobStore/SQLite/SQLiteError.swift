import CSQLite

extension StoreError {
    /// A `StoreError` for a failed SQLite call: the kind follows the primary result code, the
    /// message carries the context, SQLite's own message and the extended code.
    ///
    /// - Parameters:
    ///   - code: the (extended) result code the call returned.
    ///   - handle: the connection, for `sqlite3_errmsg`; nil when there is none (failed open).
    ///   - context: what the store was doing, e.g. "insertJob j-1".
    init(sqliteCode code: Int32, handle: OpaquePointer?, context: String) {
        let detail: String
        if let handle, let text = sqlite3_errmsg(handle) {
            detail = String(cString: text)
        } else {
            detail = String(cString: sqlite3_errstr(code))
        }
        self.init(Self.kind(ofSQLiteCode: code), "\(context): \(detail) (sqlite code \(code))")
    }

    /// Maps a result code to the store's error kinds.
    static func kind(ofSQLiteCode code: Int32) -> Kind {
        switch code & 0xFF {
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_FORMAT: .corrupt
        case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PROTOCOL,
             SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PERM, SQLITE_NOLFS:
            .io
        default: .other
        }
    }
}
