import JobAPI
import JobStore
import Logging
import ProtoRuntime
import RPCCore
import Scheduling

extension JobCoordinator {
    /// Registers a worker, or resumes the identity registered under the same name.
    func register(_ request: Hodei_V1_RegisterWorkerRequest) throws(RPCError) -> Hodei_V1_RegisterWorkerResponse {
        guard !request.name.isEmpty else { throw RPCError(code: .invalidArgument, message: "name must not be empty") }
        guard request.name.utf8.count <= 253 else { throw RPCError(code: .invalidArgument, message: "name is longer than 253 bytes") }
        guard let capabilities = request.capabilities, let total = capabilities.total,
              total.cpuMillicores > 0 || total.memoryMb > 0 || total.gpus > 0 else {
            throw RPCError(code: .invalidArgument, message: "capabilities.total must offer some resources")
        }
        let now = Google_Protobuf_Timestamp.now
        let instant = ContinuousClock.now
        var response = Hodei_V1_RegisterWorkerResponse()
        var entry: WorkerEntry
        if let id = workerIDsByName[request.name], let existing = workers[id] {
            entry = existing
            entry.stored.capabilities = capabilities
            entry.lifecycle.registered(now: instant)
            response.resumed = true
        } else {
            let stored = StoredWorker(id: Identifiers.worker(), name: request.name, capabilities: capabilities,
                                      state: .registering, registeredAt: now, lastHeartbeatAt: now)
            entry = WorkerEntry(stored: stored, lifecycle: WorkerLifecycle(state: .registering, now: instant))
            workerIDsByName[request.name] = stored.id
        }
        entry.stored.state = entry.lifecycle.state
        entry.stored.lastHeartbeatAt = now
        workers[entry.id] = entry
        scheduler.upsertWorker(entry.schedulable)
        scheduler.setAccepting(entry.lifecycle.acceptsJobs && entry.isAttached, workerID: entry.id)
        _ = store.write([.upsertWorker(entry.stored)])
        logger.info("worker registered", metadata: ["worker_id": "\(entry.id)", "name": "\(entry.name)", "resumed": "\(response.resumed)"])

        response.workerId = entry.id
        response.heartbeatInterval = Google_Protobuf_Duration(configuration.heartbeatInterval)
        response.settings = workerSettings
        response.serverTime = now
        return response
    }

    var workerSettings: Hodei_V1_WorkerSettings {
        var settings = Hodei_V1_WorkerSettings()
        settings.unhealthyAfterMissedHeartbeats = UInt32(configuration.missedHeartbeats)
        settings.failureGracePeriod = Google_Protobuf_Duration(configuration.failureGracePeriod)
        settings.maxLogChunkBytes = configuration.maxLogChunkBytes
        settings.maxUnackedMessages = configuration.maxUnackedMessages
        settings.cancelGracePeriod = Google_Protobuf_Duration(configuration.cancelGracePeriod)
        settings.maxReconnectBackoff = Google_Protobuf_Duration(configuration.maxReconnectBackoff)
        return settings
    }

    /// Finds a worker that may still act: NOT_FOUND, or FAILED_PRECONDITION when it must
    /// register again.
    func liveWorker(_ id: String) throws(RPCError) -> WorkerEntry {
        guard let worker = workers[id] else { throw RPCError(code: .notFound, message: "worker \(id) is not registered") }
        guard !worker.lifecycle.isGone else {
            throw RPCError(code: .failedPrecondition, message: "worker \(id) is \(worker.lifecycle.state); register again")
        }
        return worker
    }

    /// The unary heartbeat, between streams.
    func heartbeat(_ request: Hodei_V1_Heartbeat) throws(RPCError) -> Hodei_V1_HeartbeatResponse {
        var worker = try liveWorker(request.workerId)
        record(heartbeat: request, on: &worker)
        workers[worker.id] = worker
        var response = Hodei_V1_HeartbeatResponse()
        response.state = worker.lifecycle.state
        response.heartbeatInterval = Google_Protobuf_Duration(configuration.heartbeatInterval)
        // Jobs the agent reports that are not (or no longer) its own here: it should stop them.
        response.orphanedJobs = request.runningJobs.filter { attempt in
            guard let job = jobs[attempt.jobId] else { return true }
            return job.job.workerId != worker.id || job.job.attempt != attempt.attempt
        }
        return response
    }

    func record(heartbeat: Hodei_V1_Heartbeat, on worker: inout WorkerEntry) {
        worker.lifecycle.heard(runningJobs: worker.jobs.count, attached: worker.isAttached, now: .now)
        worker.cpuUsagePercent = heartbeat.cpuUsagePercent
        worker.memoryUsedMB = heartbeat.memoryUsedMb
        worker.lastHeartbeat = heartbeat.timestamp ?? .now
        if worker.pausedAfterRejection {
            worker.pausedAfterRejection = false
        }
        refreshSchedulerView(of: worker)
        metrics.heartbeat(worker)
    }

    /// Tells the scheduler whether and how well the worker can take jobs.
    func refreshSchedulerView(of worker: WorkerEntry) {
        let accepting = worker.lifecycle.acceptsJobs && worker.isAttached && !worker.pausedAfterRejection
        scheduler.setAccepting(accepting, workerID: worker.id)
        // Health: 1 when idle-ish, lower as the machine's measured CPU load rises.
        scheduler.setHealth(max(0.1, 1 - worker.cpuUsagePercent / 200), workerID: worker.id)
    }

    /// Operator drain: no new jobs; the agent finishes what runs and leaves.
    func drain(worker reference: String, reason: String) throws(RPCError) -> Hodei_V1_WorkerStatus {
        guard let id = workers[reference] != nil ? reference : workerIDsByName[reference], var worker = workers[id] else {
            throw RPCError(code: .notFound, message: "worker \(reference) not found")
        }
        worker.lifecycle.drain(runningJobs: worker.jobs.count, attached: worker.isAttached)
        worker.stored.state = worker.lifecycle.state
        workers[id] = worker
        refreshSchedulerView(of: worker)
        if let session = worker.session {
            var request = Hodei_V1_DrainRequest()
            request.reason = reason
            session.send(.drain(request))
        }
        _ = store.write([.upsertWorker(worker.stored)])
        logger.info("worker draining", metadata: ["worker_id": "\(id)", "reason": "\(reason)"])
        return status(of: worker)
    }

    func status(workerID: String) throws(RPCError) -> Hodei_V1_WorkerStatus {
        guard let worker = workers[workerID] else { throw RPCError(code: .notFound, message: "worker \(workerID) not found") }
        return status(of: worker)
    }

    func listWorkers(states: Set<Hodei_V1_WorkerState>) -> [Hodei_V1_WorkerStatus] {
        workers.values
            .filter { states.isEmpty || states.contains($0.lifecycle.state) }
            .sorted { $0.name < $1.name }
            .map { status(of: $0) }
    }

    func status(of worker: WorkerEntry) -> Hodei_V1_WorkerStatus {
        var status = Hodei_V1_WorkerStatus()
        status.id = worker.id
        status.name = worker.name
        status.state = worker.lifecycle.state
        status.capabilities = worker.stored.capabilities
        let total = worker.stored.capabilities.total ?? Hodei_V1_ResourceQuota()
        var allocated = Hodei_V1_ResourceQuota()
        for jobID in worker.jobs {
            guard let resources = jobs[jobID]?.spec.resources else { continue }
            allocated.cpuMillicores &+= resources.cpuMillicores
            allocated.memoryMb &+= resources.memoryMb
            allocated.gpus &+= resources.gpus
        }
        status.allocated = allocated
        var available = Hodei_V1_ResourceQuota()
        available.cpuMillicores = total.cpuMillicores > allocated.cpuMillicores ? total.cpuMillicores - allocated.cpuMillicores : 0
        available.memoryMb = total.memoryMb > allocated.memoryMb ? total.memoryMb - allocated.memoryMb : 0
        available.gpus = total.gpus > allocated.gpus ? total.gpus - allocated.gpus : 0
        status.available = available
        status.runningJobs = worker.jobs.sorted().compactMap { id in
            jobs[id].map { job in
                var attempt = Hodei_V1_JobAttempt()
                attempt.jobId = id
                attempt.attempt = job.job.attempt
                return attempt
            }
        }
        status.lastHeartbeatAt = worker.lastHeartbeat ?? worker.stored.lastHeartbeatAt
        status.registeredAt = worker.stored.registeredAt
        status.connected = worker.isAttached
        status.cpuUsagePercent = worker.cpuUsagePercent
        status.memoryUsedMb = worker.memoryUsedMB
        return status
    }

    /// The clock check: missed heartbeats make workers unhealthy; past the grace period they
    /// fail and their jobs are rescheduled.
    func checkWorkerHealth(now instant: ContinuousClock.Instant = .now) {
        var failed: [String] = []
        for (id, var worker) in workers {
            let before = worker.lifecycle.state
            if worker.lifecycle.tick(now: instant, heartbeatTimeout: configuration.heartbeatTimeout,
                                     failureGrace: configuration.failureGracePeriod) {
                failed.append(id)
            }
            if worker.lifecycle.state != before {
                worker.stored.state = worker.lifecycle.state
                workers[id] = worker
                refreshSchedulerView(of: worker)
                _ = store.write([.upsertWorker(worker.stored)])
                logger.warning("worker \(worker.lifecycle.state)", metadata: ["worker_id": "\(id)", "previous": "\(before)"])
            }
        }
        for id in failed { failWorker(id) }
        if !failed.isEmpty { placeQueuedJobs() }
    }

    /// Sets the gauges of queue sizes, unfinished jobs and workers from the current state,
    /// when /metrics is read: keeping them current on every change cost time on every job
    /// (queues, job states) or scanned every worker (worker states).
    func refreshGauges() {
        metrics.setQueueSizes { scheduler.queuedCount($0) }
        metrics.setActiveJobCounts(activeJobCounts.byState)
        var counts: [Hodei_V1_WorkerState: Int] = [:]
        var connected = 0
        for worker in workers.values {
            counts[worker.lifecycle.state, default: 0] += 1
            if worker.isAttached { connected += 1 }
        }
        metrics.setWorkerCounts(byState: counts, connected: connected)
    }

    /// Server shutdown: every JobStream ends with UNAVAILABLE, so agents keep their jobs and
    /// reconnect (with backoff) to the restarted server instead of holding shutdown up.
    func closeAllSessions() {
        for worker in workers.values {
            worker.session?.close(RPCError(code: .unavailable, message: "the server is shutting down; reconnect later"))
        }
    }

    /// A worker is FAILED: its stream (if any) is closed and its jobs go back to the queue.
    func failWorker(_ id: String) {
        guard var worker = workers[id] else { return }
        worker.session?.close(RPCError(code: .failedPrecondition, message: "worker \(id) failed; register again"))
        worker.session = nil
        worker.rememberAcknowledged()
        worker.acks?.finish()
        worker.acks = nil
        workers[id] = worker
        scheduler.removeWorker(id: id)
        let now = Google_Protobuf_Timestamp.now
        for jobID in worker.jobs.sorted() {
            guard var job = jobs[jobID] else { continue }
            requeueAfterLoss(&job, reason: "worker \(worker.name) (\(id)) failed", now: now)
            if job.job.state.isTerminal { continue }
            jobs[jobID] = job
        }
        if var current = workers[id] {
            current.jobs.removeAll()
            workers[id] = current
        }
    }
}

extension WorkerEntry {
    var schedulable: SchedulableWorker {
        let total = stored.capabilities.total ?? Hodei_V1_ResourceQuota()
        let maxJobs = Int(stored.capabilities.maxConcurrentJobs)
        return SchedulableWorker(
            id: id,
            capacity: ResourceAmount(cpuMillicores: total.cpuMillicores, memoryMB: total.memoryMb, gpus: total.gpus),
            maxJobs: maxJobs == 0 ? 1 : maxJobs,
            labels: stored.capabilities.labels
        )
    }
}
