import JobAPI

/// The SQL of one ListJobs query and its parameters.
///
/// Every plan reads rows already in descending `submit_order` from an index and stops after a
/// page, rather than sorting every match:
/// - with labels: walk the first label's (key, value, submit_order) index, join each job by
///   rowid, and check the other filters on that row;
/// - with several states: one index walk per state, each limited to a page, merged;
/// - otherwise: the (state, submit_order) or (worker_id, submit_order) index, or the table.
///
/// The text depends only on the query's shape (how many states and labels, which filters are
/// set), so the connection's statement cache reuses it across pages and calls.
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
        var builder = Builder()
        let limit = builder.placeholder(.integer(Int64(pageSize) + 1))
        let columns = "j.submit_order, j.idempotency_key, j.job"
        let labelKeys = query.labels.keys.sorted()
        let states = query.states.map(\.rawValue).sorted()

        if let firstKey = labelKeys.first {
            var conditions = ["l0.key = \(builder.placeholder(.text(firstKey)))", "l0.value = \(builder.placeholder(.text(query.labels[firstKey]!)))"]
            if let before = query.before {
                conditions.append("l0.submit_order < \(builder.placeholder(.integer(StoreRowCodecs.saturatingInteger(before))))")
            }
            if !states.isEmpty {
                conditions.append("j.state IN (\(states.map { builder.placeholder(.integer(Int64($0))) }.joined(separator: ", ")))")
            }
            conditions += builder.workerAndLabelConditions(query, labelKeys: labelKeys.dropFirst())
            // CROSS JOIN fixes the join order: the label index drives, jobs are looked up.
            sql = """
                SELECT \(columns) FROM job_labels AS l0 CROSS JOIN jobs AS j ON j.submit_order = l0.submit_order
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY l0.submit_order DESC LIMIT \(limit)
                """
        } else if states.count > 1 {
            let branches = states.map { state -> String in
                var conditions = ["j.state = \(builder.placeholder(.integer(Int64(state))))"]
                if let before = query.before {
                    conditions.append("j.submit_order < \(builder.placeholder(.integer(StoreRowCodecs.saturatingInteger(before))))")
                }
                conditions += builder.workerAndLabelConditions(query, labelKeys: [])
                return "SELECT * FROM (SELECT \(columns) FROM jobs AS j WHERE \(conditions.joined(separator: " AND ")) ORDER BY j.submit_order DESC LIMIT \(limit))"
            }
            sql = "\(branches.joined(separator: " UNION ALL ")) ORDER BY submit_order DESC LIMIT \(limit)"
        } else {
            var conditions: [String] = []
            if let state = states.first {
                conditions.append("j.state = \(builder.placeholder(.integer(Int64(state))))")
            }
            if let before = query.before {
                conditions.append("j.submit_order < \(builder.placeholder(.integer(StoreRowCodecs.saturatingInteger(before))))")
            }
            conditions += builder.workerAndLabelConditions(query, labelKeys: [])
            let filter = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
            sql = "SELECT \(columns) FROM jobs AS j \(filter) ORDER BY j.submit_order DESC LIMIT \(limit)"
        }
        parameters = builder.parameters
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

    /// Numbers parameters in the order they appear in the text.
    private struct Builder {
        var parameters: [Parameter] = []

        mutating func placeholder(_ parameter: Parameter) -> String {
            parameters.append(parameter)
            return "?\(parameters.count)"
        }

        /// The worker filter and one EXISTS per label pair, on the job row `j`.
        mutating func workerAndLabelConditions(_ query: JobQuery, labelKeys: ArraySlice<String>) -> [String] {
            var conditions: [String] = []
            if !query.workerID.isEmpty {
                conditions.append("j.worker_id = \(placeholder(.text(query.workerID)))")
            }
            for key in labelKeys {
                let keyParameter = placeholder(.text(key))
                let valueParameter = placeholder(.text(query.labels[key]!))
                conditions.append("EXISTS (SELECT 1 FROM job_labels AS l WHERE l.job_id = j.id AND l.key = \(keyParameter) AND l.value = \(valueParameter))")
            }
            return conditions
        }
    }
}
