import JobAPI
import Logging
import ProtoRPC
import ProtoRuntime
import RPCCore
import Synchronization

extension AgentSession {
    /// How one JobStream ended without an error.
    enum StreamEnd: Sendable {
        /// The agent drained and closed its side; the server ended the call (or did not
        /// within a few seconds).
        case drained
        /// A stop's deadline passed with reports still unacknowledged.
        case gaveUp
        /// The server ended the call with OK.
        case serverClosed
    }

    /// The stream did not behave as the protocol says.
    struct StreamProtocolError: Error, CustomStringConvertible {
        let description: String
    }

    /// Opens a JobStream, attaches, then runs a reader (server messages) and a writer (outbox
    /// messages and heartbeats; the only task that sends) until the stream ends.
    ///
    /// - Throws: the call's error (see ``RPCFailure/ofStreamOrHeartbeat(_:)``), or
    ///   ``StreamProtocolError``.
    func runStream() async throws -> StreamEnd {
        guard let workerId else { throw StreamProtocolError(description: "not registered") }
        let call = try await client.jobStream(metadata: configuration.callMetadata)
        var attach = Hodei_V1_AttachRequest()
        attach.workerId = workerId
        attach.sessionId = sessionID
        attach.lastAckSequence = outbox.lastAcknowledged
        attach.runningJobs = supervisor.runningJobs.map(\.proto)
        attach.pendingResultJobs = outbox.pendingResultJobs.map(\.proto)
        var message = Hodei_V1_WorkerMessage()
        message.kind = .attach(attach)
        do {
            try await call.send(message)
        } catch {
            call.cancel()
            throw error
        }
        logger.debug("attaching", metadata: [
            "worker_id": "\(workerId)", "running": "\(attach.runningJobs.count)", "pending_results": "\(attach.pendingResultJobs.count)",
        ])

        let attached = SharedFlag()
        return try await withThrowingTaskGroup(of: StreamEnd.self) { group in
            group.addTask { try await self.readServerMessages(call, attached: attached) }
            group.addTask { try await self.writeMessages(call, attached: attached) }
            do {
                let first = try await group.next()!
                switch first {
                case .serverClosed, .gaveUp:
                    call.cancel()
                    group.cancelAll()
                    return first
                case .drained:
                    // Our side is closed; give the server a moment to end the call.
                    group.addTask {
                        try await Task.sleep(for: .seconds(5))
                        return .drained
                    }
                    _ = try? await group.next()
                    call.cancel()
                    group.cancelAll()
                    return .drained
                }
            } catch {
                call.cancel()
                group.cancelAll()
                throw error
            }
        }
    }

    /// Handles server messages; the first must be the AttachAck.
    private func readServerMessages(_ call: StreamingCall<Hodei_V1_WorkerMessage, Hodei_V1_ServerMessage>, attached: SharedFlag) async throws -> StreamEnd {
        var isFirst = true
        for try await message in call.responses {
            if isFirst {
                guard case .attachAck(let ack) = message.kind else {
                    throw StreamProtocolError(description: "the first server message is not an attach_ack")
                }
                handleAttachAck(ack)
                attached.set()
                isFirst = false
                wake.signal()
                continue
            }
            switch message.kind {
            case .assign(let request):
                supervisor.assign(request, settings: settings)
            case .cancel(let request):
                supervisor.cancel(request, defaultGrace: settings.cancelGracePeriod)
            case .ack(let ack):
                // The writer needs waking only when the window was full, or when a drain or stop
                // waits for every report to be acknowledged.
                if outbox.acknowledge(ack.sequence) || isStopping { wake.signal() }
            case .drain(let request):
                beginDrain(.server, reason: request.reason.isEmpty ? "requested by the server" : request.reason,
                           deadline: request.deadline.map { Duration($0) })
            case .attachAck:
                logger.warning("ignoring a second attach_ack on the same stream")
            case nil:
                logger.debug("ignoring a server message of an unknown kind")
            }
        }
        return .serverClosed
    }

    /// Applies an AttachAck: settings, orphans, and what to resend.
    private func handleAttachAck(_ ack: Hodei_V1_AttachAck) {
        let settings = state.withLock { state in
            state.settings.apply(ack.settings, heartbeatInterval: ack.heartbeatInterval)
            return state.settings
        }
        attaches.withLock { $0 += 1 }
        outbox.setWindow(settings.maxUnackedMessages)
        // Orphans first, so that the resend below skips their messages.
        supervisor.killOrphans(ack.orphanedJobs.map(JobKey.init))
        outbox.resume(afterServerReceived: ack.lastReceivedSequence)
        logger.info("attached", metadata: [
            "worker_id": "\(ack.workerId)", "last_received_sequence": "\(ack.lastReceivedSequence)",
            "orphaned": "\(ack.orphanedJobs.count)", "state": "\(ack.state.protoName ?? "?")",
        ])
    }

    /// Sends outbox messages (within the window) and heartbeats; closes the request side
    /// once a drain or stop is complete.
    private func writeMessages(_ call: StreamingCall<Hodei_V1_WorkerMessage, Hodei_V1_ServerMessage>, attached: SharedFlag) async throws -> StreamEnd {
        let attachDeadline = ContinuousClock.now.advanced(by: .seconds(30))
        while !attached.isSet {
            try Task.checkCancellation()
            guard ContinuousClock.now < attachDeadline else {
                throw RPCError(code: .deadlineExceeded, message: "no attach_ack within 30 s")
            }
            await wake.wait(until: min(attachDeadline, ContinuousClock.now.advanced(by: .seconds(1))))
        }
        var nextHeartbeat = ContinuousClock.now
        while true {
            try Task.checkCancellation()
            let step = shutdownStep()
            if step == .giveUp { return .gaveUp }
            let now = ContinuousClock.now
            if now >= nextHeartbeat {
                var heartbeat = Hodei_V1_WorkerMessage()
                heartbeat.kind = .heartbeat(makeHeartbeat())
                try await call.send(heartbeat)
                nextHeartbeat = now.advanced(by: settings.heartbeatInterval)
            }
            let batch = outbox.takeSendable(maximum: 256)
            for message in batch { try await call.send(message) }
            if !batch.isEmpty { continue }
            if step == .closeStream && shutdownStep() == .closeStream {
                await call.finish()
                return .drained
            }
            if let oldest = outbox.oldestInFlightSentAt, oldest.duration(to: now) > configuration.ackTimeout {
                throw RPCError(code: .deadlineExceeded, message: "no acknowledgement for \(configuration.ackTimeout)")
            }
            await wake.wait(until: min(nextHeartbeat, now.advanced(by: .seconds(1))))
        }
    }
}
