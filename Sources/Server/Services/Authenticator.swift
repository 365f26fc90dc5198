import RPCCore

/// Who may call what: bearer tokens in `authorization` metadata, one set for clients (job
/// submission and operator calls) and one for worker agents. Tokens are compared in constant
/// time. With no tokens configured, authentication is off (the server then refuses to listen
/// beyond loopback; see `ServerConfiguration.validate`).
struct Authenticator: Sendable {
    enum Scope: Sendable { case client, worker }

    let clientTokens: [[UInt8]]
    let workerTokens: [[UInt8]]

    init(clientTokens: [String], workerTokens: [String]) {
        self.clientTokens = clientTokens.map { Array($0.utf8) }
        self.workerTokens = workerTokens.map { Array($0.utf8) }
    }

    var isEnabled: Bool { !clientTokens.isEmpty || !workerTokens.isEmpty }

    /// Throws UNAUTHENTICATED unless the call carries a token of one of the allowed scopes;
    /// returns the scope it proved.
    @discardableResult
    func authorize(_ metadata: Metadata, allowing scopes: Set<Scope>) throws(RPCError) -> Scope {
        guard isEnabled else { return scopes.contains(.client) ? .client : .worker }
        guard let header = metadata.first("authorization") else {
            throw RPCError(code: .unauthenticated, message: "missing authorization metadata (expected \"Bearer <token>\")")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else {
            throw RPCError(code: .unauthenticated, message: "authorization must be \"Bearer <token>\"")
        }
        let token = Array(header.utf8.dropFirst(prefix.utf8.count))
        if scopes.contains(.worker), workerTokens.contains(where: { Self.constantTimeEqual($0, token) }) { return .worker }
        if scopes.contains(.client), clientTokens.contains(where: { Self.constantTimeEqual($0, token) }) { return .client }
        throw RPCError(code: .unauthenticated, message: "invalid token for this call")
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
