/// Brings a database to `SQLiteSchema.currentVersion` when the store opens.
enum SQLiteMigrator {
    /// Applies the pending migrations in one transaction, or none of them.
    ///
    /// - Throws: `StoreError(.other)` when the file's version is newer than this build knows
    ///   (it was written by a later Hodei; opening it could misread it), or the SQLite error.
    static func migrate(_ connection: SQLiteConnection) throws(StoreError) {
        // IMMEDIATE takes the write lock before reading the version, so two processes opening
        // the same new file cannot both run migration 1.
        try connection.execute("BEGIN IMMEDIATE")
        do throws(StoreError) {
            let version = try connection.scalarInt64("PRAGMA user_version") ?? 0
            let current = SQLiteSchema.currentVersion
            guard version <= current else {
                throw StoreError(
                    .other,
                    "\(connection.path) has schema version \(version), newer than the \(current) this build supports; use a newer hodei-server"
                )
            }
            for index in Int(version)..<Int(current) {
                try connection.execute(SQLiteSchema.migrations[index])
            }
            if version < current {
                // PRAGMA takes no bound parameters; the value is our own integer.
                try connection.execute("PRAGMA user_version = \(current)")
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
