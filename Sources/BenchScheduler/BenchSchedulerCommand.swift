import ArgumentParser
import Scheduling

/// `hodei-bench-scheduler`: placements per second over synthetic fleets and queues, for
/// `make bench-scheduler` (Benchmarks/Scheduler/run.sh). Scenario SCHED in BENCHMARKS.md.
@main
struct BenchSchedulerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei-bench-scheduler",
        abstract: "Time single placements over synthetic fleets kept at steady utilization.")

    @Option(help: "Fleet sizes, comma-separated.")
    var workers = "100,1000,10000"

    @Option(help: "Queue lengths kept during the run, comma-separated.")
    var queued = "1000,1000000"

    @Option(help: "Timed placements per row (at most).")
    var placements = 200_000

    @Option(help: "Seconds of timed placements per row (at most).")
    var seconds = 5.0

    @Option(
        help: """
            Modes, comma-separated: steady (fleet kept at 75 %, one placement per call), \
            saturated (full fleet; one release, then schedule()).
            """)
    var modes = "steady,saturated"

    @Option(help: "Seed of the synthetic fleet and jobs.")
    var seed: UInt64 = 4

    func validate() throws {
        guard modeList != nil else { throw ValidationError("--modes takes steady and/or saturated") }
        guard parse(workers) != nil, parse(queued) != nil else {
            throw ValidationError("--workers and --queued take comma-separated positive integers")
        }
        guard placements > 0, seconds > 0 else { throw ValidationError("--placements and --seconds must be positive") }
    }

    func run() throws {
        print(ResultTable.header)
        for mode in modeList! {
            for fleetSize in parse(workers)! {
                for queueLength in parse(queued)! {
                    let run = SchedulerRun(
                        mode: mode, workers: fleetSize, queued: queueLength, placements: placements, seconds: seconds,
                        seed: seed)
                    print(ResultTable.row(run.run()))
                }
            }
        }
    }

    private var modeList: [SchedulerRun.Mode]? {
        let modes = self.modes.split(separator: ",").map { SchedulerRun.Mode(rawValue: String($0)) }
        guard !modes.isEmpty, modes.allSatisfy({ $0 != nil }) else { return nil }
        return modes.map { $0! }
    }

    private func parse(_ list: String) -> [Int]? {
        let values = list.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return values.map { $0! }
    }
}
