import Foundation
import Glibc
import JobAPI
import XCTest
@testable import WorkerAgent

/// The agent's reaper takes only what is the agent's: children that other parts of the same
/// process start keep their exit status for their owner.
final class ChildReaperTests: XCTestCase {
    func testAnotherComponentsChildrenKeepTheirExitStatus() async throws {
        // A job first, so that the reaper runs and has a job of its own to reap meanwhile.
        var runner = JobRunner()
        runner.options.timeoutGracePeriod = .seconds(5)
        let (job, _) = try runner.start(runner.spec(["/bin/sh", "-c", "sleep 0.3; exit 4"]))
        for expected in [Int32(7), 0, 3, 9, 1] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exit \(expected)"]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, expected, "the reaper took another component's child")
        }
        let result = await job.result()
        XCTAssertEqual(result.termination, .exitCode(4))
    }

    func testAnOrphanInTheJobsGroupIsReapedAtOnce() async throws {
        var runner = JobRunner()
        runner.options.timeoutGracePeriod = .seconds(5)
        // The leader exits at once; its child stays in the job's process group, is re-parented
        // to this process (the subreaper) and exits 0.3 s later.
        let (job, _) = try runner.start(runner.spec(["/bin/sh", "-c", "sleep 0.3 & exit 0"]))
        _ = await job.result()
        // Reaped as one of the job's (by its group), not after the 5 s left to unknown owners.
        let gone = await processGroupIsGone(job.pid, within: .seconds(2))
        XCTAssertTrue(gone, "the orphan of the job's group was not reaped within 2 s")
    }

    func testAChildThatExitsBeforeItsSpawnReturnsIsStillReported() async throws {
        // The spawn runs outside the reaper's lock: here the child exits well before the
        // spawn returns and registers it, and its handler must still get its status.
        let status = ResumeOnce<Int32>()
        let pid = try ChildReaper.shared.spawn({ () throws -> pid_t in
            var pid: pid_t = 0
            var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("exit 6"), nil]
            defer { for pointer in argv { free(pointer) } }
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            let code = posix_spawn(&pid, "/bin/sh", nil, &attributes, &argv, environ)
            guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
            usleep(200_000)
            return pid
        }, onExit: { exit in
            if case .exited(let code) = exit.termination { status.resume(with: .success(code)) }
        })
        XCTAssertGreaterThan(pid, 0)
        let code = try await withDeadline(.seconds(3)) {
            try await withCheckedThrowingContinuation { status.set($0) }
        }
        XCTAssertEqual(code, 6)
    }
}
