import Synchronization

/// N simulated workers: started with bounded concurrency (registrations and first attaches
/// in flight at once), stopped together, and able to lose all their connections at once.
final class WorkerFleet: Sendable {
    let context: FleetContext
    let workers: [SimulatedWorker]
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(count: Int, namePrefix: String, context: FleetContext) {
        self.context = context
        workers = (0..<count).map { SimulatedWorker(index: $0, name: "\(namePrefix)-\($0)", fleet: context) }
    }

    /// Starts every worker; returns the number attached once all have attached or given up
    /// (each worker gives up after a few failed attempts), or at `timeout`.
    func start(concurrency: Int, timeout: Duration) async -> Int {
        let limiter = AsyncLimiter(limit: max(1, concurrency))
        let settled = ProgressCounter()
        let attached = LockedBox(0)
        var started: [Task<Void, Never>] = []
        for worker in workers {
            await limiter.acquire()
            started.append(Task(executorPreference: worker.taskExecutor) {
                await worker.run { ok in
                    if ok { attached.withLock { $0 += 1 } }
                    limiter.release()
                    settled.increment()
                }
            })
        }
        tasks.withLock { $0 = started }
        _ = await settled.wait(forAtLeast: workers.count, timeout: timeout)
        return attached.value
    }

    /// Closes every worker connection at once (the workers re-attach on new ones at once);
    /// returns the AttachAck count before the drop.
    func dropAllConnections() async throws -> Int {
        context.isDropping = true
        let before = context.attaches.value
        try await context.pool.reset()
        return before
    }

    func stop() async {
        for worker in workers { worker.stop() }
        let running = tasks.withLock { $0 }
        for task in running { task.cancel() }
        await context.pool.shutdown()
        for task in running { await task.value }
    }
}
