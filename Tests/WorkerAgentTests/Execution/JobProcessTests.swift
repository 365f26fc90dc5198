import Foundation
import Glibc
import JobAPI
import ProtoRuntime
import XCTest
@testable import WorkerAgent

/// Exit codes, signals, environment, working directory and descriptors of real processes.
final class JobProcessTests: XCTestCase {
    let runner = JobRunner()

    func testExitCodeAndSeparateStreams() async throws {
        let (result, sink, _) = try await runner.run(runner.spec(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"]))
        XCTAssertEqual(result.termination, .exitCode(3))
        XCTAssertEqual(result.finalState, .failed)
        XCTAssertEqual(result.errorMessage, "")
        let logs = sink.logs
        XCTAssertEqual(Set(logs.map { "\($0.stream.protoName!) \($0.text)" }), ["LOG_STREAM_STDOUT out", "LOG_STREAM_STDERR err"])
        XCTAssertEqual(logs.map(\.sequence).sorted(), [1, 2])
        XCTAssertEqual(result.lastLogSequence, 2)
        XCTAssertTrue(logs.allSatisfy { $0.timestamp != nil && !$0.partial && $0.attempt == 1 })
        XCTAssertNotNil(result.startedAt)
        XCTAssertNotNil(result.finishedAt)
        XCTAssertGreaterThanOrEqual(result.finishedAt!.seconds, result.startedAt!.seconds)
        XCTAssertGreaterThan(Duration(result.duration!), .zero)
    }

    func testSuccessReportsCPUTimeAndPeakMemory() async throws {
        let busyLoop = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo $i"
        let (result, sink, _) = try await runner.run(runner.spec(["/bin/sh", "-c", busyLoop]))
        XCTAssertEqual(result.termination, .exitCode(0))
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.map(\.text), ["300000"])
        XCTAssertGreaterThan(Duration(result.cpuTime!), .milliseconds(10))
        XCTAssertGreaterThan(result.peakMemoryBytes, 100 * 1024)
        XCTAssertLessThan(result.peakMemoryBytes, 1 << 30)
    }

    func testKilledBySignal() async throws {
        let (result, _, _) = try await runner.run(runner.spec(["/bin/sh", "-c", "kill -KILL $$"]))
        XCTAssertEqual(result.termination, .signal(SIGKILL))
        XCTAssertEqual(result.finalState, .failed)
        XCTAssertTrue(result.errorMessage.contains("signal 9"), result.errorMessage)
    }

    func testEnvironmentIsTheSpecsPlusHodeiVariables() async throws {
        let job = JobKey(jobId: "env-job", attempt: 4)
        let (process, sink) = try runner.start(runner.spec(["/usr/bin/env"], env: ["GREETING": "hello world", "EMPTY": ""]), job: job)
        let result = try await withDeadline(.seconds(30)) { await process.result() }
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.map(\.text).sorted(), [
            "EMPTY=", "GREETING=hello world", "HODEI_JOB_ATTEMPT=4", "HODEI_JOB_ID=env-job", "HODEI_PROGRESS_FD=3",
        ])
    }

    func testWorkingDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-cwd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (result, sink, _) = try await runner.run(runner.spec(["/bin/pwd"], workingDir: directory.path))
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.map(\.text), [directory.path])

        // An empty working_dir means the agent's default.
        var defaulted = runner
        defaulted.workingDirectory = directory.path
        let (_, defaultSink, _) = try await defaulted.run(defaulted.spec(["pwd"]))
        XCTAssertEqual(defaultSink.logs.map(\.text), [directory.path])
    }

    func testChildGetsDevNullStdinAndOnlyDescriptorsZeroToThree() async throws {
        let script = """
        for fd in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32; do
          [ -e /proc/$$/fd/$fd ] && echo "fd $fd"
        done
        readlink /proc/$$/fd/0
        """
        let (result, sink, process) = try await runner.run(runner.spec(["/bin/sh", "-c", script]))
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.map(\.text), ["fd 0", "fd 1", "fd 2", "fd 3", "/dev/null"])
        XCTAssertGreaterThan(process.pid, 0)
    }

    func testProcessLeadsItsOwnGroup() async throws {
        let (result, sink, process) = try await runner.run(runner.spec(["/bin/sh", "-c", "ps -o pgid= -p $$"]))
        XCTAssertEqual(result.finalState, .succeeded)
        XCTAssertEqual(sink.logs.map { $0.text.trimmingCharacters(in: .whitespaces) }, ["\(process.pid)"])
    }

    func testSpawnFailuresAreInvalidSpecs() {
        XCTAssertThrowsError(try runner.start(runner.spec(["no-such-program-hodei"]))) { error in
            XCTAssertTrue("\(error)".contains("not found"), "\(error)")
        }
        XCTAssertThrowsError(try runner.start(runner.spec(["/bin/true"], workingDir: "/no/such/dir"))) { error in
            XCTAssertTrue("\(error)".contains("/no/such/dir"), "\(error)")
        }
        XCTAssertThrowsError(try runner.start(runner.spec([]))) { error in
            XCTAssertEqual("\(error)", "argv is empty")
        }
        let notExecutable = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-plain-\(UUID().uuidString)").path
        XCTAssertTrue(FileManager.default.createFile(atPath: notExecutable, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        defer { try? FileManager.default.removeItem(atPath: notExecutable) }
        XCTAssertThrowsError(try runner.start(runner.spec([notExecutable]))) { error in
            XCTAssertTrue("\(error)".contains("Permission denied"), "\(error)")
        }
        // Executable but not a program: posix_spawn itself fails.
        let garbage = notExecutable + ".bin"
        XCTAssertTrue(FileManager.default.createFile(atPath: garbage, contents: Data([0, 1, 2, 3]), attributes: [.posixPermissions: 0o755]))
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        XCTAssertThrowsError(try runner.start(runner.spec([garbage]))) { error in
            guard case .spawn(let failure)? = error as? LaunchFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.code, ENOEXEC)
        }
    }
}
