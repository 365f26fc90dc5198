import RPCCore
import Synchronization

/// Errors by call and gRPC status code ("SubmitJob UNAVAILABLE": 3), with the first
/// message of each kind kept for the report.
final class ErrorCounter: Sendable {
    private struct State {
        var counts: [String: Int] = [:]
        var examples: [String: String] = [:]
    }

    private let state = Mutex(State())

    /// Counts `error` against `call` (e.g. "SubmitJob", "JobStream").
    func record(_ call: String, _ error: any Error) {
        let code: String
        let message: String
        if let rpc = error as? RPCError {
            code = rpc.code.description
            message = rpc.message
        } else if error is CancellationError {
            code = "CANCELLED"
            message = "task cancelled"
        } else {
            code = "CLIENT"
            message = "\(error)"
        }
        record(call, code: code, message: message)
    }

    func record(_ call: String, code: String, message: String) {
        let key = "\(call) \(code)"
        state.withLock { state in
            state.counts[key, default: 0] += 1
            if state.examples[key] == nil { state.examples[key] = message }
        }
    }

    var counts: [String: Int] { state.withLock { $0.counts } }
    var examples: [String: String] { state.withLock { $0.examples } }
    var total: Int { state.withLock { $0.counts.values.reduce(0, +) } }
}
