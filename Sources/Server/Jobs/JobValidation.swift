import JobAPI
import ProtoRuntime
import RPCCore

/// Checks a submission before anything is stored. Errors are INVALID_ARGUMENT with a message
/// naming the field.
enum JobValidation {
    static let maxArgvBytes = 1 << 20
    static let maxIdempotencyKeyBytes = 256

    static func validate(_ request: Hodei_V1_SubmitJobRequest) throws(RPCError) {
        guard let spec = request.spec else { throw invalid("spec is required") }
        guard !spec.argv.isEmpty else { throw invalid("spec.argv must not be empty") }
        guard !spec.argv[0].isEmpty else { throw invalid("spec.argv[0] (the program) must not be empty") }
        let argvBytes = spec.argv.reduce(0) { $0 + $1.utf8.count }
        guard argvBytes <= maxArgvBytes else { throw invalid("spec.argv is larger than \(maxArgvBytes) bytes") }
        if spec.argv.contains(where: { $0.utf8.contains(0) }) { throw invalid("spec.argv must not contain NUL bytes") }
        for key in spec.env.keys where key.isEmpty || key.contains("=") || key.utf8.contains(0) {
            throw invalid("spec.env has an invalid variable name \(String(reflecting: key))")
        }
        if case .unrecognized(let value) = spec.priority { throw invalid("spec.priority \(value) is not a known priority") }
        if let timeout = spec.timeout, timeout.seconds < 0 || timeout.nanos < 0 {
            throw invalid("spec.timeout must not be negative")
        }
        guard request.idempotencyKey.utf8.count <= maxIdempotencyKeyBytes else {
            throw invalid("idempotency_key is longer than \(maxIdempotencyKeyBytes) bytes")
        }
    }

    private static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }
}
