import Foundation
import Glibc

/// Reaps every child process of the agent on one dedicated thread (`wait4(-1)`), so no task of
/// the cooperative pool ever blocks in a wait, and hands each job leader's exit status and
/// rusage to the handler registered when it was spawned.
///
/// The agent makes itself a child subreaper (PR_SET_CHILD_SUBREAPER): a job's grandchildren
/// whose parent exits are re-parented to the agent rather than to PID 1, and this thread reaps
/// them too. Without it, a killed grandchild stays a zombie under an init that does not reap
/// (as in some containers), and its process group never disappears.
///
/// Spawning goes through ``spawn(_:onExit:)``, which registers the handler under the same lock
/// the reaper takes before looking a pid up, so a child that exits at once is never missed.
/// Nothing else in the process may wait for children with `wait(-1)`.
final class ChildReaper: @unchecked Sendable {
    /// The agent's reaper (one per process: `wait4(-1)` sees every child).
    static let shared = ChildReaper()

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var handlers: [pid_t: @Sendable (ProcessExit) -> Void] = [:]

    private init() {
        Self.becomeSubreaper()
        let thread = Thread { [unowned self] in self.reapForever() }
        thread.name = "hodei-reaper"
        thread.start()
    }

    /// Runs `start` (which spawns a process and returns its pid) and registers `onExit` for
    /// that pid atomically with respect to the reaper. `onExit` runs on the reaper thread and
    /// must return quickly.
    func spawn<E: Error>(_ start: () throws(E) -> pid_t, onExit: @escaping @Sendable (ProcessExit) -> Void) throws(E) -> pid_t {
        condition.lock()
        defer { condition.unlock() }
        let pid = try start()
        handlers[pid] = onExit
        condition.signal()
        return pid
    }

    private func reapForever() {
        while true {
            var status: Int32 = 0
            var usage = rusage()
            let pid = wait4(-1, &status, 0, &usage)
            if pid > 0 {
                condition.lock()
                let handler = handlers.removeValue(forKey: pid)
                condition.unlock()
                handler?(ProcessExit(status: status, usage: usage))
                continue
            }
            if errno == EINTR { continue }
            // ECHILD: no children at all. Sleep until one is spawned (with a timeout in case a
            // registered child was reaped by someone else, so this never spins).
            condition.lock()
            if handlers.isEmpty {
                condition.wait()
            } else {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
            }
            condition.unlock()
        }
    }

    /// prctl(PR_SET_CHILD_SUBREAPER, 1). prctl is variadic in C, which Swift cannot call, so it
    /// is looked up and called through a fixed-arity pointer (the integer arguments are passed
    /// the same way on x86-64 and arm64 Linux).
    private static func becomeSubreaper() {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(nil, "prctl") else { return }
        let prctl = unsafeBitCast(symbol, to: Prctl.self)
        let prSetChildSubreaper: Int32 = 36
        _ = prctl(prSetChildSubreaper, 1, 0, 0, 0)
    }
}
