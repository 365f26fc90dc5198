import RPCCore

/// What the session does after a call failed, chosen by status code (never by message text).
enum RPCFailure: Equatable {
    /// NOT_FOUND or FAILED_PRECONDITION from attach or heartbeat: the server does not know
    /// the worker (any more), or it is FAILED/TERMINATED: register again, then attach anew.
    case registerAgain
    /// The credentials are refused: retrying cannot help.
    case fatal(String)
    /// Anything else (UNAVAILABLE, a broken stream, ...): reconnect with backoff.
    case retry

    /// Classifies a failure of the JobStream or of a unary Heartbeat.
    static func ofStreamOrHeartbeat(_ error: any Error) -> RPCFailure {
        guard let error = error as? RPCError else { return .retry }
        switch error.code {
        case .notFound, .failedPrecondition, .permissionDenied: return .registerAgain
        case .unauthenticated: return .fatal("the server refused the worker token: \(error.message)")
        default: return .retry
        }
    }

    /// Classifies a failure of RegisterWorker.
    static func ofRegistration(_ error: any Error) -> RPCFailure {
        guard let error = error as? RPCError else { return .retry }
        switch error.code {
        case .unauthenticated, .permissionDenied, .invalidArgument, .failedPrecondition:
            return .fatal("registration refused (\(error.code)): \(error.message)")
        default: return .retry
        }
    }
}
