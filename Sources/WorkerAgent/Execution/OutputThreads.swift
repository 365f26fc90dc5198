import Foundation

/// The threads that run jobs' output pumps: one per running job, as before, but parked and
/// reused once a job is done instead of created and torn down per job (a thread's creation
/// and exit cost tens of microseconds and several context switches, a large share of a
/// short job's overhead). A thread idle for `idleTimeout` exits.
final class OutputThreads: @unchecked Sendable {
    static let shared = OutputThreads(idleTimeout: 30)

    private let condition = NSCondition()
    private let idleTimeout: TimeInterval
    // Guarded by `condition`.
    private var pending = FIFOQueue<@Sendable () -> Void>()
    private var idle = 0

    init(idleTimeout: TimeInterval) {
        self.idleTimeout = idleTimeout
    }

    /// Runs `body` on a thread of its own (it may block for as long as the job runs).
    func run(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        pending.append(body)
        // Every pending body needs a thread of its own: parked ones first.
        let startNew = pending.count > idle
        condition.signal()
        condition.unlock()
        if startNew {
            let thread = Thread { [self] in
                ProcessControl.nameCurrentThread("hodei-job")
                serve()
            }
            thread.start()
        }
    }

    private func serve() {
        condition.lock()
        while true {
            if let body = pending.popFirst() {
                condition.unlock()
                body()
                condition.lock()
                continue
            }
            idle += 1
            let signalled = condition.wait(until: Date(timeIntervalSinceNow: idleTimeout))
            idle -= 1
            if !signalled && pending.isEmpty {
                condition.unlock()
                return
            }
        }
    }
}
