import Foundation
import JobAPI
import ProtoRuntime
import RPCCore
import XCTest

/// The whole job path with real processes: server, agents, jobs, CLI.
final class EndToEndTests: XCTestCase {
    func testHelloThroughTheCLI() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("local")
        try await cluster.run(timeout: .seconds(120)) {
            let hello = try cluster.cli(["submit", "--follow", "--", "echo", "hello"])
            XCTAssertEqual(hello.status, 0, hello.stderr)
            XCTAssertEqual(hello.stdout, "hello\n")
            let exit3 = try cluster.cli(["submit", "--follow", "--", "sh", "-c", "echo out; echo err >&2; exit 3"])
            XCTAssertEqual(exit3.status, 3)
            XCTAssertEqual(exit3.stdout, "out\n")
            XCTAssertTrue(exit3.stderr.contains("err\n"), exit3.stderr)
        }
    }

    func testAHundredThousandLinesArriveInOrderOnce() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("lines")
        try await cluster.run(timeout: .seconds(240)) {
            let id = try await cluster.submit(["sh", "-c", "seq 1 100000"])
            let done = try await cluster.waitForJob(id, timeout: .seconds(200)) { $0.state.isTerminalState }
            XCTAssertEqual(done.state, .succeeded)
            let entries = try await cluster.logs(id)
            XCTAssertEqual(entries.count, 100_000)
            XCTAssertEqual(entries.map(\.sequence), Array(1...100_000).map(UInt64.init))
            let lines = entries.map { String(decoding: $0.line, as: UTF8.self) }
            XCTAssertEqual(lines, (1...100_000).map(String.init))
            XCTAssertEqual(done.result?.lastLogSequence, 100_000)
        }
    }

    func testKilledAgentsJobIsRescheduledWithinTheHeartbeatTimeout() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("doomed", maxJobs: 1)
        try await cluster.run(timeout: .seconds(60)) {
            let id = try await cluster.submit(["sh", "-c", "echo started; sleep 3; echo finished"])
            let running = try await cluster.waitForJob(id) { $0.state == .running }
            let doomed = running.workerId
            try cluster.startAgent("spare", maxJobs: 1)
            _ = try await cluster.waitForWorker("spare", .available)
            let killedAt = ContinuousClock.now
            cluster.killAgent("doomed")
            let moved = try await cluster.waitForJob(id) { $0.attempt == 2 && $0.workerId != doomed && !$0.workerId.isEmpty }
            let elapsed = ContinuousClock.now - killedAt
            XCTAssertLessThanOrEqual(elapsed, Cluster.failureTimeout + .seconds(1), "rescheduled after \(elapsed)")
            XCTAssertEqual(moved.attempt, 2)
            let done = try await cluster.waitForJob(id) { $0.state.isTerminalState }
            XCTAssertEqual(done.state, .succeeded)
            let lines = try await cluster.logs(id, attempt: 2).map { String(decoding: $0.line, as: UTF8.self) }
            XCTAssertEqual(lines, ["started", "finished"])
        }
    }

    func testAFrozenAgentsLateResultIsIgnored() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("frozen", maxJobs: 1)
        try await cluster.run(timeout: .seconds(60)) {
            let id = try await cluster.submit(["sh", "-c", "sleep 1; exit 7"])
            let running = try await cluster.waitForJob(id) { $0.state == .running }
            // Frozen (SIGSTOP) past the failure timeout: the job moves to the other agent.
            cluster.signalAgent("frozen", SIGSTOP)
            try cluster.startAgent("thawed-spare", maxJobs: 1)
            let moved = try await cluster.waitForJob(id) { $0.attempt == 2 && $0.workerId != running.workerId }
            XCTAssertFalse(moved.workerId.isEmpty)
            // Thawed, the first agent reports attempt 1's exit 7: ignored; attempt 2 decides.
            cluster.signalAgent("frozen", SIGCONT)
            let done = try await cluster.waitForJob(id) { $0.state.isTerminalState }
            XCTAssertEqual(done.attempt, 2)
            XCTAssertEqual(done.workerId, moved.workerId)
            XCTAssertEqual(done.result?.attempt, 2)
        }
    }

    func testServerKilledAndRestartedMidJobLosesNothing() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("survivor", maxJobs: 1)
        try await cluster.run(timeout: .seconds(90)) {
            let id = try await cluster.submit(["sh", "-c", "for i in $(seq 1 40); do echo line $i; sleep 0.05; done"])
            _ = try await cluster.waitForJob(id) { $0.state == .running }
            try await Task.sleep(for: .milliseconds(500))
            cluster.killServer()
            try await Task.sleep(for: .milliseconds(500))
            try cluster.startServer()
            let done = try await cluster.waitForJob(id) { $0.state.isTerminalState }
            XCTAssertEqual(done.state, .succeeded)
            XCTAssertEqual(done.attempt, 1, "the agent re-attached and kept its job")
            let lines = try await cluster.logs(id).map { String(decoding: $0.line, as: UTF8.self) }
            XCTAssertEqual(lines, (1...40).map { "line \($0)" })
        }
    }

    func testCancelKillsGrandchildrenWithinTheGracePeriod() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("canceller", maxJobs: 1)
        let pidFile = cluster.directory.appendingPathComponent("pids").path
        try await cluster.run(timeout: .seconds(60)) {
            // Children and a grandchild that ignore SIGTERM, so only the SIGKILL after the
            // grace period ends them.
            let script = """
            trap '' TERM
            sleep 300 & echo $! >> \(pidFile)
            sh -c 'trap "" TERM; sleep 300 & echo $! >> \(pidFile); wait' & echo $! >> \(pidFile)
            echo ready
            wait
            """
            let id = try await cluster.submit(["sh", "-c", script])
            _ = try await cluster.waitForJob(id) { $0.state == .running }
            var pids: [Int32] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while pids.count < 3 && ContinuousClock.now < deadline {
                pids = ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
                try await Task.sleep(for: .milliseconds(20))
            }
            XCTAssertEqual(pids.count, 3)
            var cancel = Hodei_V1_CancelJobRequest()
            cancel.jobId = id
            var grace = Google_Protobuf_Duration()
            grace.seconds = 1
            cancel.gracePeriod = grace
            let cancelledAt = ContinuousClock.now
            _ = try await cluster.jobs.cancelJob(cancel)
            let done = try await cluster.waitForJob(id) { $0.state.isTerminalState }
            XCTAssertEqual(done.state, .cancelled)
            while pids.contains(where: { !processIsGone($0) }) && ContinuousClock.now - cancelledAt < .seconds(5) {
                try await Task.sleep(for: .milliseconds(20))
            }
            XCTAssertTrue(pids.allSatisfy(processIsGone), "left running: \(pids.filter { !processIsGone($0) })")
            XCTAssertLessThan(ContinuousClock.now - cancelledAt, .seconds(3), "gone within the 1 s grace period plus reporting")
        }
    }

    func testAgentReconnectsAfterANetworkCutAndLosesNothing() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        let proxy = try cluster.startCutProxy()
        try cluster.startAgent("remote", maxJobs: 1, serverPort: proxy.port)
        try await cluster.run(timeout: .seconds(90)) {
            let id = try await cluster.submit(["sh", "-c", "for i in $(seq 1 40); do echo tick $i; sleep 0.05; done"])
            let running = try await cluster.waitForJob(id) { $0.state == .running }
            // The link goes down (every connection reset, new ones refused) for less than the
            // failure timeout: the worker turns unhealthy, the job keeps running, its output
            // waits in the agent's outbox.
            kill(proxy.process.processIdentifier, SIGUSR1)
            _ = try await cluster.waitForWorker("remote", .unhealthy)
            try await Task.sleep(for: .milliseconds(300))
            kill(proxy.process.processIdentifier, SIGUSR2)
            let done = try await cluster.waitForJob(id) { $0.state.isTerminalState }
            XCTAssertEqual(done.state, .succeeded)
            XCTAssertEqual(done.attempt, 1, "the job stayed with its worker across the cut")
            XCTAssertEqual(done.workerId, running.workerId)
            let lines = try await cluster.logs(id).map { String(decoding: $0.line, as: UTF8.self) }
            XCTAssertEqual(lines, (1...40).map { "tick \($0)" })
        }
    }

    func testServerStopsPromptlyWithAgentsAttachedAndTheyComeBack() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("steady", maxJobs: 1)
        try await cluster.run(timeout: .seconds(60)) {
            _ = try await cluster.waitForWorker("steady", .available)
            let stoppedAt = ContinuousClock.now
            try await cluster.stopServerGracefully()
            XCTAssertLessThan(ContinuousClock.now - stoppedAt, .seconds(5), "SIGTERM with an agent attached")
            try cluster.startServer()
            _ = try await cluster.waitForWorker("steady", .available)
            let id = try await cluster.submit(["echo", "after restart"])
            let done = try await cluster.waitForJob(id) { $0.state.isTerminalState }
            XCTAssertEqual(done.state, .succeeded)
        }
    }

    func testAgentRidesOutAFrozenServerAndResumes() async throws {
        let cluster = try Cluster()
        try cluster.startServer()
        try cluster.startAgent("patient", maxJobs: 1)
        try await cluster.run(timeout: .seconds(90)) {
            let id = try await cluster.submit(["sh", "-c", "for i in $(seq 1 30); do echo tick $i; sleep 0.1; done"])
            _ = try await cluster.waitForJob(id) { $0.state == .running }
            // The server stops answering (SIGSTOP) for a while, then comes back.
            cluster.signalServer(SIGSTOP)
            try await Task.sleep(for: .seconds(4))
            cluster.signalServer(SIGCONT)
            let done = try await cluster.waitForJob(id) { $0.state.isTerminalState }
            XCTAssertEqual(done.state, .succeeded)
            let lines = try await cluster.logs(id, attempt: done.attempt).map { String(decoding: $0.line, as: UTF8.self) }
            XCTAssertEqual(lines, (1...30).map { "tick \($0)" })
            // It is attached again and takes new work.
            let next = try await cluster.submit(["echo", "again"])
            let second = try await cluster.waitForJob(next) { $0.state.isTerminalState }
            XCTAssertEqual(second.state, .succeeded)
        }
    }
}

extension Cluster {
    func waitForWorker(_ name: String, _ state: Hodei_V1_WorkerState, timeout: Duration = .seconds(30)) async throws -> Hodei_V1_WorkerState {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let current = try? await workerState(name), current == state { return current }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ClusterError("worker \(name) did not become \(state)")
    }
}

extension Hodei_V1_JobState {
    var isTerminalState: Bool { [.succeeded, .failed, .cancelled, .timedOut, .lost].contains(self) }
}
