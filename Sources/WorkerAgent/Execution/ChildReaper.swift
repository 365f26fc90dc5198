import Foundation
import Glibc

/// Reaps the agent's job processes on one dedicated thread, so no task of the cooperative
/// pool ever blocks in a wait, and hands each job leader's exit status and rusage to the
/// handler registered when it was spawned.
///
/// The agent makes itself a child subreaper (PR_SET_CHILD_SUBREAPER): a job's grandchildren
/// whose parent exits are re-parented to the agent rather than to PID 1, and this thread reaps
/// them too. Without it, a killed grandchild stays a zombie under an init that does not reap
/// (as in some containers), and its process group never disappears.
///
/// It reaps only what is the agent's: it first looks at an exited child without reaping it
/// (`waitid(WNOWAIT)`), and reaps it if it is a job leader or in a job's process group. A
/// child of something else in the process (a `Foundation.Process`, say) is left to its owner,
/// so that owner still gets its exit status; one that nobody reaps within
/// `unclaimedGrace` (a daemonized grandchild in its own session) is reaped then.
///
/// Spawning goes through ``spawn(_:onExit:)``, which registers the handler as soon as the
/// spawn returns. The spawn itself runs outside the lock (an exec on a stalled mount may take
/// for ever, and must not stop the reaping of other jobs); an exited child that is not yet
/// registered while spawns are under way is given until they return (at most
/// `registrationWait`) before it is taken for someone else's.
final class ChildReaper: @unchecked Sendable {
    /// The agent's reaper (one per process).
    static let shared = ChildReaper()

    /// How long an exited child that is not recognisably a job's may wait for its owner.
    static let unclaimedGrace: Duration = .seconds(5)
    /// How long an unregistered exited child waits for spawns under way to register it.
    private static let registrationWait: TimeInterval = 0.05
    /// How often children are polled while an exited child is left to its owner.
    private static let foreignPoll: TimeInterval = 0.01
    /// Process groups remembered after their leader exited (their orphans may exit later).
    private static let rememberedGroups = 4096

    private let condition = NSCondition()
    /// Guarded by `condition`: exit handlers of the job leaders still running, by pid.
    private var handlers: [pid_t: @Sendable (ProcessExit) -> Void] = [:]
    /// Guarded by `condition`: the process groups of jobs spawned here (a leader's pid is its
    /// group's id), oldest first, bounded by `rememberedGroups`.
    private var jobGroups: Set<pid_t> = []
    private var jobGroupOrder: [pid_t] = []
    /// Guarded by `condition`: spawns that have not returned yet.
    private var spawning = 0
    /// Reaper thread only: exited children left to their owner, and since when.
    private var unclaimed: [pid_t: ContinuousClock.Instant] = [:]

    private init() {
        ProcessControl.becomeChildSubreaper()
        let thread = Thread { [unowned self] in
            ProcessControl.nameCurrentThread("hodei-reaper")
            self.reapForever()
        }
        thread.start()
    }

    /// Runs `start` (which spawns a process leading its own process group and returns its
    /// pid) and registers `onExit` for that pid atomically with respect to the reaper.
    /// `onExit` runs on the reaper thread and must return quickly.
    func spawn<E: Error>(_ start: () throws(E) -> pid_t, onExit: @escaping @Sendable (ProcessExit) -> Void) throws(E) -> pid_t {
        condition.lock()
        spawning += 1
        condition.unlock()
        var spawned: pid_t?
        defer {
            condition.lock()
            spawning -= 1
            if let spawned {
                handlers[spawned] = onExit
                rememberGroup(spawned)
            }
            condition.signal()
            condition.unlock()
        }
        let pid = try start()
        spawned = pid
        return pid
    }

    private func rememberGroup(_ group: pid_t) {
        guard jobGroups.insert(group).inserted else { return }
        jobGroupOrder.append(group)
        if jobGroupOrder.count > Self.rememberedGroups {
            jobGroups.remove(jobGroupOrder.removeFirst())
        }
    }

    private func reapForever() {
        while true {
            var info = siginfo_t()
            guard waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) == 0 else {
                if errno == EINTR { continue }
                // ECHILD: no children at all. Sleep until one is spawned (with a timeout in
                // case a registered child was reaped by someone else, so this never spins).
                condition.lock()
                if handlers.isEmpty {
                    condition.wait()
                } else {
                    _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
                }
                condition.unlock()
                continue
            }
            let pid = info._sifields._sigchld.si_pid
            if isOurs(pid) || hasWaitedTooLong(pid) {
                reap(pid)
            } else {
                // Another component's child: leave it to its owner, but keep reaping ours,
                // which the look above cannot see while this one is first in line.
                reapOursWithoutBlocking()
                Thread.sleep(forTimeInterval: Self.foreignPoll)
            }
        }
    }

    private func isOurs(_ pid: pid_t) -> Bool {
        // A zombie keeps its process group until it is reaped.
        let group = getpgid(pid)
        condition.lock()
        defer { condition.unlock() }
        // A job that exited before its spawn returned is registered a moment later.
        let deadline = Date(timeIntervalSinceNow: Self.registrationWait)
        while handlers[pid] == nil && spawning > 0 && condition.wait(until: deadline) {}
        return handlers[pid] != nil || (group > 0 && jobGroups.contains(group))
    }

    private func hasWaitedTooLong(_ pid: pid_t) -> Bool {
        let now = ContinuousClock.now
        // Forget children that their owners reaped meanwhile.
        unclaimed = unclaimed.filter { now - $0.value < Self.unclaimedGrace * 4 }
        guard let since = unclaimed[pid] else {
            unclaimed[pid] = now
            return false
        }
        return now - since >= Self.unclaimedGrace
    }

    /// Reaps `pid` (known to have exited) and calls its handler, if it has one.
    private func reap(_ pid: pid_t) {
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { return }
        unclaimed[pid] = nil
        condition.lock()
        let handler = handlers.removeValue(forKey: pid)
        condition.unlock()
        handler?(ProcessExit(status: status, usage: usage))
    }

    /// Reaps, without waiting, every exited job leader and every exited process of a job's
    /// group.
    private func reapOursWithoutBlocking() {
        condition.lock()
        let leaders = Array(handlers.keys)
        let groups = jobGroupOrder
        condition.unlock()
        for leader in leaders {
            var status: Int32 = 0
            var usage = rusage()
            if wait4(leader, &status, WNOHANG, &usage) == leader {
                condition.lock()
                let handler = handlers.removeValue(forKey: leader)
                condition.unlock()
                handler?(ProcessExit(status: status, usage: usage))
            }
        }
        for group in groups {
            var status: Int32 = 0
            // Bounded: each call reaps one exited member of the group, or returns 0 or -1.
            for _ in 0..<64 where wait4(-group, &status, WNOHANG, nil) > 0 {}
        }
    }
}
