import ArgumentParser
import Foundation
import JobAPI

/// `hodei list`: jobs, newest first, as a table or JSON.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.",
        usage: "hodei list [--state <state> ...] [--label <k=v> ...] [--worker <id>] [--limit <n>] [--all] [--json] [<connection options>]")

    @OptionGroup(title: "Connection") var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Only jobs in this state (repeatable).", valueName: "state"))
    var state: [JobStateArgument] = []

    @Option(name: .customLong("label"), help: ArgumentHelp("Only jobs with this label (repeatable).", valueName: "k=v"))
    var labels: [KeyValue] = []

    @Option(help: ArgumentHelp("Only jobs assigned to or run on this worker id.", valueName: "worker-id"))
    var worker: String?

    @Option(help: ArgumentHelp("Show at most this many jobs (with --all: jobs per request).", valueName: "n"))
    var limit: UInt32 = 100

    @Flag(help: "Show every matching job, page after page.")
    var all = false

    @Flag(help: "Print {\"jobs\": [...]} as JSON (proto3 JSON mapping).")
    var json = false

    /// Pages fetched at most, whatever the server answers.
    static let maxPages = 100_000

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        var request = Hodei_V1_ListJobsRequest()
        request.states = state.map(\.state)
        request.labelSelector = KeyValue.dictionary(labels)
        request.workerId = worker ?? ""
        request.pageSize = min(limit, 1000)
        let listing = try await connection.withConnection { connection in
            var listing = Hodei_V1_ListJobsResponse()
            var seenTokens: Set<String> = []
            for _ in 0..<Self.maxPages {
                let page = try await connection.unary(.none) { try await connection.jobs.listJobs(request, metadata: $0, options: $1) }
                listing.jobs += page.jobs
                listing.nextPageToken = page.nextPageToken
                let done = page.nextPageToken.isEmpty || (!all && listing.jobs.count >= Int(limit))
                if done || !seenTokens.insert(page.nextPageToken).inserted { break }
                request.pageToken = page.nextPageToken
            }
            if !all && listing.jobs.count > Int(limit) { listing.jobs.removeLast(listing.jobs.count - Int(limit)) }
            return listing
        }
        let terminal = Terminal.shared
        if json {
            terminal.outLine(try JSONOutput.pretty(listing))
            return
        }
        terminal.out(Array(Self.table(listing.jobs).render(maxWidth: terminal.stdoutIsTTY ? terminal.width() : nil).utf8))
        if !all && !listing.nextPageToken.isEmpty {
            terminal.errLine("hodei: more jobs match; use --all or a larger --limit")
        }
    }

    /// The listing as a table: ID, STATE, PRIORITY, ATTEMPT, WORKER, AGE, COMMAND.
    static func table(_ jobs: [Hodei_V1_Job], now: Date = Date()) -> Table {
        var table = Table([
            .init(title: "ID"), .init(title: "STATE"), .init(title: "PRIORITY"), .init(title: "ATTEMPT", alignment: .right),
            .init(title: "WORKER"), .init(title: "AGE", alignment: .right), .init(title: "COMMAND"),
        ])
        for job in jobs {
            let spec = job.spec ?? Hodei_V1_JobSpec()
            table.append([
                job.id, JobText.state(job.state), JobText.priority(spec.priority), String(job.attempt),
                job.workerId.isEmpty ? "-" : job.workerId, DurationText.age(of: job.createdAt, now: now),
                JobText.command(spec.argv),
            ])
        }
        return table
    }
}
