import Foundation

/// The human form of a ``LoadReport``: aligned two-column lines, then a latency table.
enum ReportTable {
    static func render(_ report: LoadReport) -> String {
        var rows: [(String, String)] = [("scenario", report.scenario)]
        for key in report.settings.keys.sorted() { rows.append(("  \(key)", report.settings[key] ?? "")) }
        let workers = report.workers
        if workers.requested > 0 {
            rows.append(("workers attached", "\(workers.attached) / \(workers.requested) over \(workers.connections) connections in \(seconds(workers.attachSeconds))"))
            if let cpu = workers.attachServerCPUSeconds { rows.append(("server CPU to attach", "\(number(cpu, 2)) s")) }
            if let rate = workers.heartbeatsPerSecond { rows.append(("heartbeats sent", "\(number(rate, 1))/s")) }
            if let connected = workers.serverConnected { rows.append(("server lists connected", "\(connected)")) }
        }
        if let jobs = report.jobs {
            rows.append(("jobs completed", "\(jobs.completed) / \(jobs.submitted) submitted (\(jobs.failed) failed, \(jobs.duplicateResults) duplicate results)"))
            rows.append(("throughput", "\(number(jobs.jobsPerSecond, 1)) jobs/s over \(seconds(jobs.seconds)) (first submit → last result)"))
            if let states = jobs.finalStates {
                rows.append(("final states", states.keys.sorted().map { "\($0) \(states[$0] ?? 0)" }.joined(separator: ", ")))
            }
        }
        if let storm = report.storm {
            rows.append(("re-attached", "\(storm.reattached) / \(storm.workers) in \(seconds(storm.reattachSeconds))"))
            rows.append(("jobs in flight at drop", "\(storm.jobsInFlightAtDrop)"))
            rows.append(("jobs lost", "\(storm.lost)"))
        }
        if let server = report.server {
            var cpu = "\(number(server.cpuSeconds, 2)) s, \(number(server.cpuPercent, 1)) % of a core"
            if let perUnit = server.cpuMicrosPerUnit { cpu += ", \(number(perUnit, 1)) µs per job" }
            rows.append(("server CPU (pid \(server.pid))", cpu))
            rows.append(("server RSS", "\(number(server.rssMiB, 1)) MiB now, \(number(server.peakRSSMiB, 1)) MiB peak"))
        }
        let errorTotal = report.errors.values.reduce(0, +)
        rows.append(("errors", errorTotal == 0 ? "none" : "\(errorTotal)"))
        for key in report.errors.keys.sorted() {
            rows.append(("  \(key)", "\(report.errors[key] ?? 0)  e.g. \(report.errorExamples[key]?.prefix(120) ?? "")"))
        }
        for note in report.notes { rows.append(("note", note)) }
        if !report.complete { rows.append(("RESULT", "INCOMPLETE")) }

        let width = rows.map(\.0.count).max() ?? 0
        var text = rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
        if !report.latencyMs.isEmpty {
            text += "\n\n" + latencyTable(report.latencyMs)
        }
        return text + "\n"
    }

    static func latencyTable(_ latencies: [String: LatencySummary]) -> String {
        let header = ["latency (ms)", "count", "p50", "p90", "p99", "p99.9", "max"]
        var lines = [header]
        for name in ["submit", "submit_to_assign", "submit_to_result", "submit_to_watch_end"] {
            guard let summary = latencies[name] else { continue }
            lines.append([name, "\(summary.count)", number(summary.p50, 3), number(summary.p90, 3), number(summary.p99, 3),
                          number(summary.p999, 3), number(summary.max, 3)])
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func number(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
    static func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }
}
