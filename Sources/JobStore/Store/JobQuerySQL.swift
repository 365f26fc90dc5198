import JobAPI

/// The SQL of one ListJobs query and its parameters. The text depends only on the query's
/// shape (how many states and labels, which filters are set), so the connection's statement
/// cache reuses it across pages and calls with the same shape.
struct JobQuerySQL {
    let sql: String
    /// Jobs per page (at least 1); the SQL fetches one more to detect a further page.
    let pageSize: Int
    private let parameters: [Parameter]

    private enum Parameter {
        case integer(Int64)
        case text(String)
    }

    init(_ query: JobQuery) {
        pageSize = min(max(1, query.pageSize), 1 << 30)
        var conditions: [String] = []
        var parameters: [Parameter] = []
        func placeholder(_ parameter: Parameter) -> String {
            parameters.append(parameter)
            return "?\(parameters.count)"
        }
        if let before = query.before {
            conditions.append("submit_order < \(placeholder(.integer(StoreRowCodecs.saturatingInteger(before))))")
        }
        if !query.states.isEmpty {
            // Sorted so that equal sets give equal SQL text.
            let states = query.states.map(\.rawValue).sorted().map { placeholder(.integer(Int64($0))) }
            conditions.append("state IN (\(states.joined(separator: ", ")))")
        }
        if !query.workerID.isEmpty {
            conditions.append("worker_id = \(placeholder(.text(query.workerID)))")
        }
        for key in query.labels.keys.sorted() {
            let keyParameter = placeholder(.text(key))
            let valueParameter = placeholder(.text(query.labels[key]!))
            conditions.append("id IN (SELECT job_id FROM job_labels WHERE key = \(keyParameter) AND value = \(valueParameter))")
        }
        let limit = placeholder(.integer(Int64(pageSize) + 1))
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        sql = "SELECT \(StoreRowCodecs.jobColumns) FROM jobs \(filter) ORDER BY submit_order DESC LIMIT \(limit)"
        self.parameters = parameters
    }

    func bind(to statement: SQLiteStatement) throws(StoreError) {
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(offset + 1)
            switch parameter {
            case .integer(let value): try statement.bind(value, at: index)
            case .text(let value): try statement.bind(value, at: index)
            }
        }
    }
}
