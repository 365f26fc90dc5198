import Foundation
import JobAPI
import ProtoRPC
import RPCCore
import RPCTransportHTTP2
import TestSupport
import XCTest
@testable import Server

/// The whole job path through a real server (real sockets, HTTP/2, SQLite) with a scripted
/// agent: submit → assign → accepted → logs → result, and what clients see of it.
final class JobFlowTests: XCTestCase {
    func testSubmitRunLogsResultAndWatch() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(60)) {
            let agent = FakeAgent(name: "w1", transport: server.transport)
            try await agent.register()
            let ack = try await agent.attach()
            XCTAssertEqual(ack.state, .available)

            let id = try await server.submit(["echo", "hello"])
            let queuedOrAssigned = try await server.job(id)
            XCTAssertTrue([.queued, .assigned].contains(queuedOrAssigned.state))
            XCTAssertEqual(queuedOrAssigned.attempt, 1)

            // A watcher from the start sees every event in order, logs included.
            var watch = Hodei_V1_WatchJobRequest()
            watch.jobId = id
            watch.fromSequence = 1
            watch.includeLogs = true
            let events = try await server.jobs.watchJob(watch, metadata: TestServer.clientAuth)

            let assign = try await agent.nextAssignment()
            XCTAssertEqual(assign.jobId, id)
            XCTAssertEqual(assign.spec?.argv, ["echo", "hello"])
            try await agent.accept(assign)
            for line in 1...50 { try await agent.log(assign, sequence: UInt64(line), "line \(line)") }
            try await agent.log(assign, sequence: 25, "line 25 again") // resent duplicate: dropped
            try await agent.finish(id, attempt: assign.attempt, exitCode: 0, lastLog: 50)
            try await agent.waitForAck(agent.sequence)

            var states: [Hodei_V1_JobState] = []
            var lines: [String] = []
            var sequences: [UInt64] = []
            for try await event in events {
                sequences.append(event.sequence)
                switch event.kind {
                case .stateChanged(let change): states.append(change.state)
                case .log(let entry): lines.append(String(decoding: entry.line, as: UTF8.self))
                default: break
                }
            }
            XCTAssertEqual(states, [.queued, .assigned, .running, .succeeded])
            XCTAssertEqual(lines, (1...50).map { "line \($0)" })
            XCTAssertEqual(sequences, sequences.sorted())
            XCTAssertEqual(Set(sequences).count, sequences.count)

            let done = try await server.job(id)
            XCTAssertEqual(done.state, .succeeded)
            XCTAssertEqual(done.result?.termination, .exitCode(0))
            XCTAssertEqual(done.workerId, agent.workerID)
            XCTAssertNotNil(done.finishedAt)

            var logs = Hodei_V1_GetJobLogsRequest()
            logs.jobId = id
            logs.limit = 20
            let page1 = try await server.jobs.getJobLogs(logs, metadata: TestServer.clientAuth)
            XCTAssertEqual(page1.entries.count, 20)
            XCTAssertFalse(page1.complete)
            logs.fromSequence = page1.nextSequence
            logs.limit = 100
            let page2 = try await server.jobs.getJobLogs(logs, metadata: TestServer.clientAuth)
            XCTAssertEqual(page2.entries.map(\.sequence), Array(21...50))
            XCTAssertTrue(page2.complete)
        }
        await server.stop()
    }

    func testWatchStartsWithASnapshotAndResumesFromASequence() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let agent = FakeAgent(name: "w1", transport: server.transport)
            try await agent.register()
            try await agent.attach()
            let id = try await server.submit(["echo"])
            let assign = try await agent.nextAssignment()
            try await agent.accept(assign)
            for line in 1...5 { try await agent.log(assign, sequence: UInt64(line), "line \(line)") }
            try await agent.waitForAck(agent.sequence)

            // From 0: a snapshot of the job as it is now, then live events to the end.
            var watch = Hodei_V1_WatchJobRequest()
            watch.jobId = id
            let live = try await server.jobs.watchJob(watch, metadata: TestServer.clientAuth)
            var iterator = live.makeAsyncIterator()
            guard let first = try await iterator.next(), case .snapshot(let snapshot) = first.kind else {
                return XCTFail("a watch from 0 starts with a snapshot")
            }
            XCTAssertEqual(snapshot.state, .running)
            XCTAssertEqual(first.sequence, snapshot.lastEventSequence)
            try await agent.finish(id, attempt: assign.attempt, lastLog: 5)
            var after: [Hodei_V1_JobEvent] = []
            while let event = try await iterator.next() { after.append(event) }
            XCTAssertTrue(after.allSatisfy { $0.sequence > first.sequence })
            XCTAssertFalse(after.contains { if case .log = $0.kind { true } else { false } }, "logs only when asked")
            guard case .stateChanged(let last)? = after.last?.kind else { return XCTFail("ends with the final state change") }
            XCTAssertEqual(last.state, .succeeded)

            // Resuming from the middle replays the stored events from there, then ends.
            watch.fromSequence = 4
            watch.includeLogs = true
            var replayed: [UInt64] = []
            for try await event in try await server.jobs.watchJob(watch, metadata: TestServer.clientAuth) { replayed.append(event.sequence) }
            let finished = try await server.job(id)
            XCTAssertEqual(replayed, Array(4...finished.lastEventSequence))

            // A finished job watched from 0: just its snapshot.
            watch.fromSequence = 0
            var snapshots = 0
            for try await event in try await server.jobs.watchJob(watch, metadata: TestServer.clientAuth) {
                if case .snapshot(let job) = event.kind { snapshots += 1; XCTAssertEqual(job.state, .succeeded) }
            }
            XCTAssertEqual(snapshots, 1)
            watch.jobId = "j-unknown"
            await assertStatus(.notFound) {
                for try await _ in try await server.jobs.watchJob(watch, metadata: TestServer.clientAuth) {}
            }
        }
        await server.stop()
    }

    func testIdempotentSubmissionAndValidationErrors() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let first = try await server.submit(["true"], key: "same-key")
            var request = Hodei_V1_SubmitJobRequest()
            var spec = Hodei_V1_JobSpec()
            spec.argv = ["true"]
            request.spec = spec
            request.idempotencyKey = "same-key"
            let again = try await server.jobs.submitJob(request, metadata: TestServer.clientAuth)
            XCTAssertEqual(again.jobId, first)
            XCTAssertTrue(again.duplicate)

            request.idempotencyKey = ""
            request.spec?.argv = []
            await assertStatus(.invalidArgument) { _ = try await server.jobs.submitJob(request, metadata: TestServer.clientAuth) }
            await assertStatus(.notFound) { _ = try await server.job("j-doesnotexist") }
            await assertStatus(.unauthenticated) { _ = try await server.jobs.getJob(Hodei_V1_GetJobRequest(), metadata: [:]) }
            await assertStatus(.unauthenticated) {
                var get = Hodei_V1_GetJobRequest()
                get.jobId = first
                _ = try await server.jobs.getJob(get, metadata: TestServer.workerAuth)
            }
            await assertStatus(.unauthenticated) {
                var register = Hodei_V1_RegisterWorkerRequest()
                register.name = "sneaky"
                _ = try await server.workers.registerWorker(register, metadata: TestServer.clientAuth)
            }
            var list = Hodei_V1_ListJobsRequest()
            list.pageToken = "garbage"
            await assertStatus(.invalidArgument) { _ = try await server.jobs.listJobs(list, metadata: TestServer.clientAuth) }
        }
        await server.stop()
    }

    func testCancelQueuedAndRunningJobs() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let queued = try await server.submit(["sleep", "100"])
            var cancel = Hodei_V1_CancelJobRequest()
            cancel.jobId = queued
            cancel.reason = "not needed"
            let cancelled = try await server.jobs.cancelJob(cancel, metadata: TestServer.clientAuth)
            XCTAssertEqual(cancelled.job?.state, .cancelled)
            XCTAssertFalse(cancelled.alreadyFinished)
            let again = try await server.jobs.cancelJob(cancel, metadata: TestServer.clientAuth)
            XCTAssertTrue(again.alreadyFinished)

            let agent = FakeAgent(name: "w1", transport: server.transport)
            try await agent.register()
            try await agent.attach()
            let running = try await server.submit(["sleep", "100"])
            let assign = try await agent.nextAssignment()
            try await agent.accept(assign)
            _ = try await server.waitForJob(running) { $0.state == .running }
            cancel.jobId = running
            let pending = try await server.jobs.cancelJob(cancel, metadata: TestServer.clientAuth)
            XCTAssertEqual(pending.job?.state, .running)
            guard let message = try await agent.next(), case .cancel(let request) = message.kind else {
                return XCTFail("the agent should be told to cancel")
            }
            XCTAssertEqual(request.jobId, running)
            try await agent.finish(running, attempt: assign.attempt, exitCode: 143, state: .cancelled)
            let final = try await server.waitForJob(running) { $0.state.isTerminal }
            XCTAssertEqual(final.state, .cancelled)
        }
        await server.stop()
    }

    func testWorkerMayNotReportOnAnotherWorkersJob() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let owner = FakeAgent(name: "owner", transport: server.transport)
            try await owner.register(maxJobs: 1)
            try await owner.attach()
            let id = try await server.submit(["true"])
            let assign = try await owner.nextAssignment()
            try await owner.accept(assign)

            let intruder = FakeAgent(name: "intruder", transport: server.transport)
            try await intruder.register()
            try await intruder.attach()
            try await intruder.finish(id, attempt: assign.attempt)
            do {
                while try await intruder.next() != nil {}
                XCTFail("the intruder's stream should fail")
            } catch let error as RPCError {
                XCTAssertEqual(error.code, .permissionDenied)
            }
            let job = try await server.job(id)
            XCTAssertEqual(job.state, .running, "the intruder's result was not taken")
        }
        await server.stop()
    }

    func testLostWorkerJobIsRequeuedToAnotherAndLateResultIgnored() async throws {
        let server = try TestServer(heartbeat: .milliseconds(200), grace: .milliseconds(400))
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let first = FakeAgent(name: "first", transport: server.transport)
            try await first.register(maxJobs: 1)
            try await first.attach()
            let id = try await server.submit(["work"])
            let assign = try await first.nextAssignment()
            try await first.accept(assign)
            _ = try await server.waitForJob(id) { $0.state == .running }

            // The first worker vanishes; a second one is there to take the job.
            let lostAt = ContinuousClock.now
            first.dropStream()
            let second = FakeAgent(name: "second", transport: server.transport)
            try await second.register(maxJobs: 1)
            try await second.attach()
            let heartbeats = Task {
                while !Task.isCancelled {
                    try? await second.heartbeat()
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { heartbeats.cancel() }
            let requeued = try await server.waitForJob(id) { $0.attempt == 2 && $0.workerId == second.workerID }
            // Heartbeat timeout (3 × 200 ms) + grace (400 ms) + a second at most.
            XCTAssertLessThan(ContinuousClock.now - lostAt, .milliseconds(2000))
            XCTAssertEqual(requeued.attempt, 2)
            let reassigned = try await second.nextAssignment()
            XCTAssertEqual(reassigned.jobId, id)
            XCTAssertEqual(reassigned.attempt, 2)

            let statuses = try await server.workers.listWorkers(Hodei_V1_ListWorkersRequest(), metadata: TestServer.clientAuth)
            XCTAssertEqual(statuses.workers.first { $0.name == "first" }?.state, .failed)

            // The first agent comes back with its old attempt's result: ignored.
            try await first.register(maxJobs: 1)
            let ack = try await first.attach(running: [attempt(id, 1)])
            XCTAssertEqual(ack.orphanedJobs.map(\.jobId), [id], "the old attempt is an orphan to kill")
            try await first.finish(id, attempt: 1, exitCode: 1, state: .failed)
            try await first.waitForAck(first.sequence)
            try await second.accept(reassigned)
            try await second.finish(id, attempt: 2, exitCode: 0)
            let done = try await server.waitForJob(id) { $0.state.isTerminal }
            XCTAssertEqual(done.state, .succeeded)
            XCTAssertEqual(done.attempt, 2)
        }
        await server.stop()
    }

    func testRestartKeepsJobsAndReattachedWorkerFinishesIt() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        let agentName = "restart-worker"
        let (ids, runningID, assign) = try await withTimeout(.seconds(30)) {
            let agent = FakeAgent(name: agentName, transport: server.transport)
            try await agent.register(maxJobs: 1)
            try await agent.attach()
            let runningID = try await server.submit(["long"])
            let assign = try await agent.nextAssignment()
            try await agent.accept(assign)
            try await agent.log(assign, sequence: 1, "before restart")
            try await agent.waitForAck(agent.sequence)
            var ids: [String] = []
            for index in 0..<20 { ids.append(try await server.submit(["queued-\(index)"])) }
            return (ids, runningID, assign)
        }
        await server.stop()

        let restarted = try TestServer(directory: server.directory)
        try await restarted.start()
        try await withTimeout(.seconds(30)) {
            for id in ids {
                let state = try await restarted.job(id).state
                XCTAssertEqual(state, .queued)
            }
            let running = try await restarted.job(runningID).state
            XCTAssertEqual(running, .running)
            let agent = FakeAgent(name: agentName, transport: restarted.transport)
            let registration = try await agent.register(maxJobs: 1)
            XCTAssertTrue(registration.resumed)
            let ack = try await agent.attach(running: [attempt(runningID, assign.attempt)])
            XCTAssertTrue(ack.orphanedJobs.isEmpty)
            try await agent.log(assign, sequence: 1, "before restart") // resent: dropped
            try await agent.log(assign, sequence: 2, "after restart")
            try await agent.finish(runningID, attempt: assign.attempt, lastLog: 2)
            let done = try await restarted.waitForJob(runningID) { $0.state.isTerminal }
            XCTAssertEqual(done.state, .succeeded)
            var logs = Hodei_V1_GetJobLogsRequest()
            logs.jobId = runningID
            let entries = try await restarted.jobs.getJobLogs(logs, metadata: TestServer.clientAuth).entries
            XCTAssertEqual(entries.map { String(decoding: $0.line, as: UTF8.self) }, ["before restart", "after restart"])
        }
        await restarted.stop()
    }

    func testReattachReportsWhatTheSessionHasDurablyDelivered() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let agent = FakeAgent(name: "resumer", transport: server.transport)
            try await agent.register()
            let first = try await agent.attach()
            XCTAssertEqual(first.lastReceivedSequence, 0)
            _ = try await server.submit(["true"])
            let assign = try await agent.nextAssignment()
            try await agent.accept(assign)
            try await agent.log(assign, sequence: 1, "one")
            try await agent.log(assign, sequence: 2, "two")
            try await agent.waitForAck(3)
            agent.dropStream()
            // Same agent session: the server says what it has, so only the rest is resent.
            let again = try await agent.attach(running: [attempt(assign.jobId, assign.attempt)])
            XCTAssertEqual(again.lastReceivedSequence, 3)
            // A resent message is acknowledged again, not processed twice.
            try await agent.send(.log(logEntry(assign, sequence: 2, "two")), sequence: 3)
            try await agent.waitForAck(3)
            // A new agent process (new session id) under the same name starts from zero.
            let restarted = FakeAgent(name: "resumer", transport: server.transport)
            try await restarted.register()
            let fresh = try await restarted.attach(running: [attempt(assign.jobId, assign.attempt)])
            XCTAssertEqual(fresh.lastReceivedSequence, 0)
            var logs = Hodei_V1_GetJobLogsRequest()
            logs.jobId = assign.jobId
            let lines = try await server.jobs.getJobLogs(logs, metadata: TestServer.clientAuth).entries
            XCTAssertEqual(lines.map { String(decoding: $0.line, as: UTF8.self) }, ["one", "two"])
        }
        await server.stop()
    }

    func testListJobsFiltersAndPages() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            var submitted: [String] = []
            for index in 0..<25 {
                submitted.append(try await server.submit(["job", "\(index)"], labels: ["team": index % 2 == 0 ? "even" : "odd"]))
            }
            var request = Hodei_V1_ListJobsRequest()
            request.pageSize = 10
            var seen: [String] = []
            while true {
                let page = try await server.jobs.listJobs(request, metadata: TestServer.clientAuth)
                seen += page.jobs.map(\.id)
                if page.nextPageToken.isEmpty { break }
                request.pageToken = page.nextPageToken
            }
            XCTAssertEqual(seen, submitted.reversed(), "newest first, every job once")
            var evens = Hodei_V1_ListJobsRequest()
            evens.labelSelector = ["team": "even"]
            evens.states = [.queued]
            let even = try await server.jobs.listJobs(evens, metadata: TestServer.clientAuth)
            XCTAssertEqual(even.jobs.count, 13)
        }
        await server.stop()
    }

    func testAssignJobAndDrainWorker() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let agent = FakeAgent(name: "target", transport: server.transport)
            try await agent.register(cpu: 2000, maxJobs: 2)
            try await agent.attach()
            var assignRequest = Hodei_V1_AssignJobToWorkerRequest()
            assignRequest.workerId = agent.workerID

            // Too big for the worker: AssignJob still checks capacity.
            let big = try await server.submit(["big"], cpu: 3000)
            assignRequest.jobId = big
            await assertStatus(.failedPrecondition) { _ = try await server.workers.assignJob(assignRequest, metadata: TestServer.clientAuth) }

            // The agent turns a job down; it goes back to the queue and the scheduler leaves
            // that worker alone. An operator pins it there with AssignJob.
            let pinned = try await server.submit(["pinned"], cpu: 500)
            let first = try await agent.nextAssignment()
            XCTAssertEqual(first.jobId, pinned)
            var rejected = Hodei_V1_JobRejected()
            rejected.jobId = pinned
            rejected.attempt = first.attempt
            rejected.reason = .atCapacity
            try await agent.send(.rejected(rejected))
            _ = try await server.waitForJob(pinned) { $0.state == .queued }
            assignRequest.jobId = pinned
            let answer = Task { try await server.workers.assignJob(assignRequest, metadata: TestServer.clientAuth) }
            let second = try await agent.nextAssignment()
            XCTAssertEqual(second.jobId, pinned)
            try await agent.accept(second, pid: 777)
            let accepted = try await answer.value
            XCTAssertEqual(accepted.jobId, pinned)
            XCTAssertEqual(accepted.pid, 777)
            XCTAssertEqual(accepted.workerId, agent.workerID)

            var drain = Hodei_V1_DrainWorkerRequest()
            drain.worker = "target"
            drain.reason = "maintenance"
            let status = try await server.workers.drainWorker(drain, metadata: TestServer.clientAuth)
            XCTAssertEqual(status.state, .draining)
            guard let message = try await agent.next(), case .drain(let request) = message.kind else {
                return XCTFail("the agent should be asked to drain")
            }
            XCTAssertEqual(request.reason, "maintenance")
            try await agent.finish(pinned, attempt: second.attempt)
            try await agent.waitForAck(agent.sequence)
            await agent.closeStream()
            let deadline = ContinuousClock.now + .seconds(5)
            var state = Hodei_V1_WorkerState.unspecified
            while ContinuousClock.now < deadline {
                var get = Hodei_V1_GetWorkerStatusRequest()
                get.workerId = agent.workerID
                state = try await server.workers.getWorkerStatus(get, metadata: TestServer.clientAuth).state
                if state == .terminated { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            XCTAssertEqual(state, .terminated)
            let bigState = try await server.job(big).state
            XCTAssertEqual(bigState, .queued, "nothing placed on a draining worker")
        }
        await server.stop()
    }

    func testMetricsAreServedAsPrometheusText() async throws {
        let server = try TestServer()
        try await server.start()
        defer { server.removeFiles() }
        try await withTimeout(.seconds(30)) {
            let agent = FakeAgent(name: "metered", transport: server.transport)
            try await agent.register()
            try await agent.attach()
            try await agent.heartbeat()
            _ = try await server.submit(["true"])
            _ = try await agent.nextAssignment()
            let port = try XCTUnwrap(server.server.metricsServer?.port)
            let text = try await httpGet(port: port, path: "/metrics")
            for name in ["hodei_worker_heartbeats_total", "hodei_job_execution_duration", "hodei_worker_cpu_usage_percent",
                         "hodei_scheduler_queue_size", "hodei_jobs", "hodei_job_dispatch_latency", "hodei_connected_workers"] {
                XCTAssertTrue(text.contains(name), "missing \(name)")
            }
            XCTAssertTrue(text.contains("hodei_connected_workers 1"), text)
            // Gauges set when scraped: the one job is assigned, nothing is queued.
            XCTAssertTrue(text.contains("hodei_jobs{state=\"assigned\"} 1"), text)
            XCTAssertTrue(text.contains("hodei_jobs{state=\"queued\"} 0"), text)
            XCTAssertTrue(text.contains("hodei_scheduler_queue_size{priority=\"normal\"} 0"), text)
            let missing = try await httpGet(port: port, path: "/nothing")
            XCTAssertTrue(missing.contains("not found"))
        }
        await server.stop()
    }
}

func logEntry(_ assign: Hodei_V1_AssignJobRequest, sequence: UInt64, _ line: String) -> Hodei_V1_LogEntry {
    var entry = Hodei_V1_LogEntry()
    entry.jobId = assign.jobId
    entry.attempt = assign.attempt
    entry.sequence = sequence
    entry.line = Array(line.utf8)
    return entry
}

func attempt(_ jobID: String, _ number: UInt32) -> Hodei_V1_JobAttempt {
    var attempt = Hodei_V1_JobAttempt()
    attempt.jobId = jobID
    attempt.attempt = number
    return attempt
}

func assertStatus(_ code: Status.Code, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> Void) async {
    do {
        try await body()
        XCTFail("expected \(code)", file: file, line: line)
    } catch let error as RPCError {
        XCTAssertEqual(error.code, code, error.message, file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

/// A plain HTTP/1.1 GET over a socket (what curl does), returning the whole response.
func httpGet(port: Int, path: String) async throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", """
        import socket, sys
        s = socket.create_connection(("127.0.0.1", \(port)), timeout=5)
        s.sendall(b"GET \(path) HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
        sys.stdout.write(data.decode())
        """]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
