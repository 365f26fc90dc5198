import CSQLite

extension SQLiteConnection {
    /// What a PASSIVE checkpoint did: frames in the WAL, and how many of them are now in the
    /// database file.
    struct CheckpointOutcome {
        var walFrames: Int32
        var checkpointedFrames: Int32
    }

    /// Copies what it can of the WAL into the database file without waiting for anyone
    /// (readers keep their snapshots; the writer keeps writing).
    @discardableResult
    func checkpointPassively() throws(StoreError) -> CheckpointOutcome {
        var frames: Int32 = 0
        var done: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(try rawHandle(), nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &done)
        guard code == SQLITE_OK || code == SQLITE_BUSY else {
            throw StoreError(sqliteCode: code, handle: try rawHandle(), context: "checkpoint \(path)")
        }
        return CheckpointOutcome(walFrames: frames, checkpointedFrames: done)
    }

    /// The WAL file's path as SQLite names it (after a symlinked database path's target, so
    /// not always `path` + "-wal").
    func walPath() throws(StoreError) -> String {
        guard let name = sqlite3_filename_wal(sqlite3_db_filename(try rawHandle(), "main")) else {
            throw StoreError(.io, "\(path): SQLite gives no WAL file name")
        }
        return String(cString: name)
    }

    /// Replaces SQLite's automatic checkpoint (which runs inside the commit that crosses its
    /// threshold) with `hook`, called after each commit with the WAL's size in pages.
    /// `context` is passed through and must outlive the connection.
    func setWALHook(_ hook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32,
                    context: UnsafeMutableRawPointer) throws(StoreError) {
        sqlite3_wal_hook(try rawHandle(), hook, context)
    }
}
