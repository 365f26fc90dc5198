import NIOCore

/// Runs Swift concurrency jobs on a NIO event loop, so that handlers started with
/// `Task(executorPreference:)` run next to their connection without thread hops.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
