import NIOCore

/// The task executor of one server connection's handlers: runs their jobs on the
/// connection's event loop.
///
/// A job enqueued on the loop itself (typically a handler woken by a request message that
/// `mem_recv` has just delivered) waits in a local queue that the connection runs as soon as
/// `mem_recv` returns, so the handler's answer leaves with the read batch's one flush rather
/// than one loop task and one flush later. A loop task runs whatever the connection did not.
final class ConnectionTaskExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop
    /// Jobs enqueued on the loop; touched only on the loop (hence `@unchecked Sendable`).
    @exclusivity(unchecked) private var local: [UnownedJob] = []
    /// The connection is inside `receive(_:)`, which runs the local jobs when it returns: a
    /// job enqueued meanwhile needs no loop task (whose scheduling would sit between the
    /// request and its answer).
    @exclusivity(unchecked) private var receiving = false

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        guard loop.inEventLoop else {
            loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
            return
        }
        local.append(job)
        if local.count == 1 && !receiving {
            loop.execute { self.runLocalJobs() }
        }
    }

    /// Runs `body` (the connection handing received bytes to nghttp2), then the jobs it
    /// woke, so that their answers leave with the read batch's flush.
    func receive(_ body: () throws -> Void) rethrows {
        receiving = true
        defer {
            // Before running them: jobs those jobs enqueue get a loop task as usual.
            receiving = false
            runLocalJobs()
        }
        try body()
    }

    /// Runs the jobs queued on the loop so far. Jobs they enqueue wait for the next call (or
    /// the loop task), so a handler that keeps yielding cannot hold the loop.
    func runLocalJobs() {
        guard !local.isEmpty else { return }
        var jobs: [UnownedJob] = []
        swap(&jobs, &local)
        for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
