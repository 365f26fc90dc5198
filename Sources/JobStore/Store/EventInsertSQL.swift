/// The multi-row `INSERT OR IGNORE INTO job_events` statements, one per chunk size.
enum EventInsertSQL {
    static let columns = 7
    /// The chunk sizes, largest first; any count is a sum of them.
    private static let chunkSizes = [32, 8, 1]
    private static let statements: [Int: String] = Dictionary(uniqueKeysWithValues: chunkSizes.map { ($0, sql(rows: $0)) })

    /// The largest chunk that fits in `remaining` rows.
    static func chunk(for remaining: Int) -> Int {
        chunkSizes.first { $0 <= remaining } ?? 1
    }

    static func statement(rows: Int) -> String {
        statements[rows]!
    }

    private static func sql(rows: Int) -> String {
        let values = (0..<rows).map { row in
            "(" + (1...columns).map { "?\(row * columns + $0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT OR IGNORE INTO job_events (job_id, sequence, kind, attempt, log_sequence, stream, payload) VALUES "
            + values.joined(separator: ", ")
    }
}
