/// Moves a connection from the opening thread to the writer or a reader thread.
///
/// Unchecked: sound because the owners (`GroupCommitWriter`, `ReaderPool`) receive their
/// connections as `sending` and never touch them again after wrapping them here, and `take()`
/// is called once, on the receiving thread, which is the only user from then on.
final class ConnectionTransfer: @unchecked Sendable {
    private var connection: SQLiteConnection?

    init(_ connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Called once, on the receiving thread.
    func take() -> SQLiteConnection {
        defer { connection = nil }
        return connection!
    }
}
