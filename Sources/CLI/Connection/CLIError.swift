import Foundation
import RPCCore
import RPCTransportHTTP2

/// A failure the CLI reports as one line on standard error ("hodei: ...") before exiting 1.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    /// The status of the failed call, when the error comes from one.
    var code: Status.Code?

    init(_ message: String, code: Status.Code? = nil) {
        self.message = message
        self.code = code
    }

    var description: String { message }

    /// What a call was about, so that NOT_FOUND can say what was not found.
    enum Subject {
        case none
        case job(String)
        case worker(String)
    }

    /// The message for an RPC that failed with `error`.
    ///
    /// - Parameters:
    ///   - reachability: the outcome of a TCP probe, looked at only for UNAVAILABLE (nil: not probed).
    ///   - hadToken: whether a token was sent, to tell "wrong token" from "no token".
    static func describing(_ error: RPCError, subject: Subject, address: HostAndPort, rpcTimeout: Duration,
                           hadToken: Bool, reachability: ReachabilityProbe.Outcome?) -> CLIError {
        var described = message(for: error, subject: subject, address: address, rpcTimeout: rpcTimeout, hadToken: hadToken,
                                reachability: reachability)
        described.code = error.code
        return described
    }

    private static func message(for error: RPCError, subject: Subject, address: HostAndPort, rpcTimeout: Duration,
                                hadToken: Bool, reachability: ReachabilityProbe.Outcome?) -> CLIError {
        let detail = oneLine(error.message)
        let suffix = detail.isEmpty ? " (\(error.code))" : ": \(detail) (\(error.code))"
        switch error.code {
        case .unavailable:
            if case .unreachable(let reason)? = reachability {
                return CLIError("cannot reach the server at \(address) (\(reason))")
            }
            return CLIError("the server at \(address) is unavailable" + suffix)
        case .unauthenticated:
            return hadToken
                ? CLIError("the server rejected the token (UNAUTHENTICATED)")
                : CLIError("the server requires a token (UNAUTHENTICATED); pass --token or set HODEI_TOKEN")
        case .permissionDenied:
            return CLIError("the token is not allowed to do this" + suffix)
        case .notFound:
            switch subject {
            case .job(let id): return CLIError("job \(id) not found")
            case .worker(let id): return CLIError("worker \(id) not found")
            case .none: return CLIError("not found" + suffix)
            }
        case .deadlineExceeded:
            return CLIError("the server did not answer within \(DurationText.format(rpcTimeout)) (DEADLINE_EXCEEDED); see --rpc-timeout")
        case .unimplemented:
            return CLIError("the server at \(address) does not offer this call" + suffix)
        case .invalidArgument, .failedPrecondition, .outOfRange:
            return CLIError("the server refused the request" + suffix)
        case .resourceExhausted:
            return CLIError("the server is overloaded" + suffix)
        default:
            return CLIError("the call failed" + suffix)
        }
    }

    /// Server messages may span lines; the CLI's errors do not.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
