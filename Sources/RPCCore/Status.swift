/// The outcome of an RPC: a gRPC status code and an optional message.
///
/// `Status` describes any outcome, `.ok` included; ``RPCError`` is the thrown form of a
/// non-OK status.
public struct Status: Sendable, Hashable, CustomStringConvertible {
    /// The gRPC status codes (grpc's doc/statuscodes.md); raw values are the wire numbers.
    public enum Code: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case ok = 0
        case cancelled = 1
        case unknown = 2
        case invalidArgument = 3
        case deadlineExceeded = 4
        case notFound = 5
        case alreadyExists = 6
        case permissionDenied = 7
        case resourceExhausted = 8
        case failedPrecondition = 9
        case aborted = 10
        case outOfRange = 11
        case unimplemented = 12
        case `internal` = 13
        case unavailable = 14
        case dataLoss = 15
        case unauthenticated = 16

        /// The code for a `grpc-status` value; values outside 0...16 are `unknown`, as the
        /// spec asks of clients.
        public init(wireValue: Int) {
            self = Code(rawValue: wireValue) ?? .unknown
        }

        /// The spec's SCREAMING_CASE name, such as `DEADLINE_EXCEEDED`.
        public var description: String {
            switch self {
            case .ok: return "OK"
            case .cancelled: return "CANCELLED"
            case .unknown: return "UNKNOWN"
            case .invalidArgument: return "INVALID_ARGUMENT"
            case .deadlineExceeded: return "DEADLINE_EXCEEDED"
            case .notFound: return "NOT_FOUND"
            case .alreadyExists: return "ALREADY_EXISTS"
            case .permissionDenied: return "PERMISSION_DENIED"
            case .resourceExhausted: return "RESOURCE_EXHAUSTED"
            case .failedPrecondition: return "FAILED_PRECONDITION"
            case .aborted: return "ABORTED"
            case .outOfRange: return "OUT_OF_RANGE"
            case .unimplemented: return "UNIMPLEMENTED"
            case .internal: return "INTERNAL"
            case .unavailable: return "UNAVAILABLE"
            case .dataLoss: return "DATA_LOSS"
            case .unauthenticated: return "UNAUTHENTICATED"
            }
        }
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String = "") {
        self.code = code
        self.message = message
    }

    public static let ok = Status(code: .ok)

    public var description: String { message.isEmpty ? "\(code)" : "\(code): \(message)" }

    /// The status a client reports for an HTTP response that carried no `grpc-status`
    /// (grpc's doc/http-grpc-status-mapping.md).
    public static func fromHTTPStatus(_ httpStatus: Int) -> Status {
        let code: Code
        switch httpStatus {
        case 400: code = .internal
        case 401: code = .unauthenticated
        case 403: code = .permissionDenied
        case 404: code = .unimplemented
        case 429, 502, 503, 504: code = .unavailable
        default: code = .unknown
        }
        return Status(code: code, message: "HTTP status \(httpStatus)")
    }
}

/// A non-OK ``Status`` thrown by handlers and returned to clients, with optional trailing
/// metadata and an underlying cause for logs.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    public var code: Status.Code
    public var message: String
    public var metadata: Metadata
    /// The error that led to this one, for logging; never sent to the peer.
    public var cause: (any Error)?

    public init(code: Status.Code, message: String, metadata: Metadata = [:], cause: (any Error)? = nil) {
        precondition(code != .ok, "an RPCError cannot have status OK")
        self.code = code
        self.message = message
        self.metadata = metadata
        self.cause = cause
    }

    public var status: Status { Status(code: code, message: message) }

    public var description: String {
        var text = "\(code): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}

/// A domain error that knows which gRPC status it should be reported as.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}
