import Foundation
import XCTest

/// Short real runs of hodei-load against a real hodei-server child: the tool is known to
/// deliver every job and to count what it is meant to count.
final class LoadToolRunTests: XCTestCase {
    func testDispatchDeliversEveryJobAndReportsLatencies() throws {
        let (status, report) = try LoadRun.run(["dispatch", "--jobs", "200", "--warmup-jobs", "20", "--workers", "4",
                                                "--slots", "8", "--concurrency", "32", "--watch-every", "50",
                                                "--server-sync", "normal", "--timeout", "30"])
        XCTAssertEqual(status, 0, "\(report)")
        XCTAssertEqual(report["complete"] as? Bool, true)
        let jobs = try XCTUnwrap(report["jobs"] as? [String: Any])
        XCTAssertEqual(jobs["submitted"] as? Int, 200)
        XCTAssertEqual(jobs["completed"] as? Int, 200)
        XCTAssertEqual(jobs["failed"] as? Int, 0)
        XCTAssertEqual(jobs["duplicate_results"] as? Int, 0)
        XCTAssertGreaterThan(jobs["jobs_per_second"] as? Double ?? 0, 0)
        XCTAssertEqual((report["errors"] as? [String: Int])?.isEmpty, true, "\(report["error_examples"] ?? "")")

        let latency = try XCTUnwrap(report["latency_ms"] as? [String: [String: Any]])
        let result = try XCTUnwrap(latency["submit_to_result"])
        XCTAssertEqual(result["count"] as? Int, 200)
        let p50 = try XCTUnwrap(result["p50"] as? Double)
        let p99 = try XCTUnwrap(result["p99"] as? Double)
        XCTAssertGreaterThan(p50, 0)
        XCTAssertGreaterThanOrEqual(p99, p50)
        XCTAssertEqual(latency["submit_to_assign"]?["count"] as? Int, 200)
        XCTAssertEqual(latency["submit_to_watch_end"]?["count"] as? Int, 4, "every 50th of 200 jobs is watched")

        let server = try XCTUnwrap(report["server"] as? [String: Any])
        XCTAssertGreaterThan(server["cpu_seconds"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(server["peak_rss_mib"] as? Double ?? 0, 1)
    }

    func testOneJobAtATimeNeverOverlaps() throws {
        let (status, report) = try LoadRun.run(["dispatch", "--jobs", "50", "--warmup-jobs", "5", "--workers", "1",
                                                "--concurrency", "1", "--window", "1", "--server-sync", "normal"])
        XCTAssertEqual(status, 0, "\(report)")
        let jobs = try XCTUnwrap(report["jobs"] as? [String: Any])
        XCTAssertEqual(jobs["completed"] as? Int, 50)
        // One at a time: the run lasts at least the sum of the jobs' own latencies' lower bound.
        let latency = try XCTUnwrap((report["latency_ms"] as? [String: [String: Any]])?["submit_to_result"])
        let mean = try XCTUnwrap(latency["mean"] as? Double)
        let seconds = try XCTUnwrap(jobs["seconds"] as? Double)
        XCTAssertGreaterThanOrEqual(seconds * 1000, mean * 50 * 0.99)
    }

    func testStormReattachesEveryWorkerAndLosesNoJob() throws {
        let (status, report) = try LoadRun.run(["storm", "--workers", "30", "--slots", "2", "--jobs", "40",
                                                "--executor", "sleep:400", "--server-sync", "normal", "--timeout", "20"])
        XCTAssertEqual(status, 0, "\(report)")
        let storm = try XCTUnwrap(report["storm"] as? [String: Any])
        XCTAssertEqual(storm["reattached"] as? Int, 30)
        XCTAssertEqual(storm["lost"] as? Int, 0)
        XCTAssertGreaterThan(storm["jobs_in_flight_at_drop"] as? Int ?? 0, 0, "the drop must hit running jobs")
        let jobs = try XCTUnwrap(report["jobs"] as? [String: Any])
        XCTAssertEqual((jobs["final_states"] as? [String: Int])?["SUCCEEDED"], 40)
        let workers = try XCTUnwrap(report["workers"] as? [String: Any])
        XCTAssertEqual(workers["server_connected"] as? Int, 30)
    }

    func testIdleFleetStaysAttachedAndHeartbeats() throws {
        let (status, report) = try LoadRun.run(["idle", "--workers", "50", "--settle", "0.5", "--duration", "2",
                                                "--heartbeat-interval", "0.5", "--server-sync", "normal"])
        XCTAssertEqual(status, 0, "\(report)")
        let workers = try XCTUnwrap(report["workers"] as? [String: Any])
        XCTAssertEqual(workers["attached"] as? Int, 50)
        XCTAssertEqual(workers["server_connected"] as? Int, 50)
        // 50 workers every 0.5 s: about 100 heartbeats a second.
        XCTAssertEqual(workers["heartbeats_per_second"] as? Double ?? 0, 100, accuracy: 40)
        XCTAssertGreaterThan((report["server"] as? [String: Any])?["peak_rss_mib"] as? Double ?? 0, 1)
    }
}
