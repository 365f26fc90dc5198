import JobAPI
import Logging
import ProtoRuntime
import RPCCore
import Synchronization

extension AgentSession {
    /// A load report: machine CPU since the previous one, memory in use, running attempts.
    func makeHeartbeat() -> Hodei_V1_Heartbeat {
        var heartbeat = Hodei_V1_Heartbeat()
        heartbeat.workerId = workerId ?? ""
        heartbeat.timestamp = .now
        heartbeat.cpuUsagePercent = cpuSampler.sample()
        heartbeat.memoryUsedMb = MemoryInfo.read()?.usedMebibytes ?? 0
        heartbeat.runningJobs = supervisor.runningJobs.map(\.proto)
        return heartbeat
    }

    /// Waits out the backoff after `failures` consecutive failures. Meanwhile, when
    /// `heartbeating`, sends unary Heartbeats every heartbeat interval (the server keeps the
    /// worker healthy while no stream is attached) and kills the orphans they report.
    ///
    /// - Returns: true when a heartbeat said the worker must register again.
    func pause(afterFailures failures: Int, heartbeating: Bool) async -> Bool {
        let settings = self.settings
        let backoff = ReconnectBackoff(base: configuration.backoffBase, maximum: settings.maxReconnectBackoff)
        let delay = backoff.delay(afterFailures: failures)
        let deadline = ContinuousClock.now.advanced(by: delay)
        logger.debug("reconnecting after backoff", metadata: ["delay": "\(delay)", "failures": "\(failures)"])
        var nextHeartbeat = ContinuousClock.now.advanced(by: min(settings.heartbeatInterval, delay))
        while ContinuousClock.now < deadline {
            if finalOutcomeBetweenStreams() != nil { return false }
            if heartbeating && ContinuousClock.now >= nextHeartbeat {
                nextHeartbeat = ContinuousClock.now.advanced(by: settings.heartbeatInterval)
                if await sendUnaryHeartbeat() { return true }
            }
            await interruptions.wait(until: min(deadline, heartbeating ? nextHeartbeat : deadline))
        }
        return false
    }

    /// One Heartbeat RPC. Returns true when the server does not know the worker any more.
    private func sendUnaryHeartbeat() async -> Bool {
        do {
            let response = try await client.heartbeat(
                makeHeartbeat(), metadata: configuration.callMetadata,
                options: RPCCallOptions(timeout: max(.seconds(1), settings.heartbeatInterval)))
            if let interval = response.heartbeatInterval {
                state.withLock { $0.settings.apply(nil, heartbeatInterval: interval) }
            }
            supervisor.killOrphans(response.orphanedJobs.map(JobKey.init))
            return false
        } catch {
            if RPCFailure.ofStreamOrHeartbeat(error) == .registerAgain {
                logger.warning("heartbeat: the server does not know this worker any more", metadata: ["error": "\(error)"])
                return true
            }
            logger.debug("heartbeat failed", metadata: ["error": "\(error)"])
            return false
        }
    }
}
