import JobAPI
import RPCCore
import JobStore
import Synchronization

/// One attached JobStream: the coordinator sends through it without waiting (the stream's
/// writer task applies the transport's flow control), and closes it when the worker
/// attaches again elsewhere or fails.
final class WorkerSession: Sendable {
    let workerID: String
    /// The agent's session id (AttachRequest.session_id): sequences are scoped by it.
    let agentSessionID: String
    /// Unique per attach on this server, to tell a replaced session from the current one.
    let serial: UInt64

    let outbound: AsyncThrowingStream<Hodei_V1_ServerMessage, any Error>
    private let continuation: AsyncThrowingStream<Hodei_V1_ServerMessage, any Error>.Continuation

    init(workerID: String, agentSessionID: String, serial: UInt64) {
        self.workerID = workerID
        self.agentSessionID = agentSessionID
        self.serial = serial
        (outbound, continuation) = AsyncThrowingStream.makeStream(of: Hodei_V1_ServerMessage.self)
    }

    func send(_ kind: Hodei_V1_ServerMessage.Kind) {
        var message = Hodei_V1_ServerMessage()
        message.kind = kind
        continuation.yield(message)
    }

    /// Ends the stream: normally (nil) or with a status for the agent.
    func close(_ error: RPCError? = nil) {
        if let error { continuation.finish(throwing: error) } else { continuation.finish() }
    }
}

/// Acknowledges an agent's messages once they are durable, coalescing: while one commit is
/// awaited, later messages only raise the sequence the next Ack carries.
final class AckTracker: Sendable {
    private struct Latest {
        var sequence: UInt64 = 0
        var ticket: StoreWriteTicket?
        var acked: UInt64 = 0
        /// A resent message arrived: acknowledge again even if nothing new is durable.
        var reacknowledge = false
    }

    private let latest = Mutex(Latest())
    private let signal: AsyncStream<Void>
    private let signalContinuation: AsyncStream<Void>.Continuation

    init() {
        (signal, signalContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Continues an agent session's numbering: nothing at or below `sequence` is acked again.
    func resume(after sequence: UInt64) {
        latest.withLock { latest in
            latest.sequence = max(latest.sequence, sequence)
            latest.acked = max(latest.acked, sequence)
        }
    }

    /// Message `sequence` was processed; its writes (if any) complete with `ticket`.
    func processed(sequence: UInt64, ticket: StoreWriteTicket?) {
        latest.withLock { latest in
            if let ticket { latest.ticket = ticket }
            guard sequence > latest.sequence else {
                latest.reacknowledge = true
                return
            }
            latest.sequence = sequence
        }
        signalContinuation.yield()
    }

    /// The highest sequence acknowledged so far (durable).
    var acknowledged: UInt64 { latest.withLock { $0.acked } }

    /// Sends Acks through `session` until `finish()`.
    func run(session: WorkerSession) async {
        for await _ in signal {
            let (sequence, ticket) = latest.withLock { ($0.sequence, $0.ticket) }
            if let ticket { guard (try? await ticket.durable()) != nil else { continue } }
            let shouldSend = latest.withLock { latest -> Bool in
                let again = latest.reacknowledge
                latest.reacknowledge = false
                guard sequence > latest.acked || again else { return false }
                latest.acked = max(latest.acked, sequence)
                return true
            }
            if shouldSend {
                var ack = Hodei_V1_Ack()
                ack.sequence = sequence
                session.send(.ack(ack))
            }
        }
    }

    func finish() { signalContinuation.finish() }
}
