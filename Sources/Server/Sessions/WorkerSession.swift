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
