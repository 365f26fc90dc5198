import JobStore
import RPCCore

extension RPCError {
    /// A store failure as the client sees it: retryable UNAVAILABLE (a submission may be
    /// retried with the same idempotency key).
    static func store(_ error: any Error) -> RPCError {
        if let rpc = error as? RPCError { return rpc }
        return RPCError(code: .unavailable, message: "the job store failed: \(error)")
    }
}
