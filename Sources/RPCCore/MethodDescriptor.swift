/// Identifies one RPC method: its service, name and call shape.
///
/// Generated from `rpc` declarations; the transport routes `:path` to handlers with it.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The fully qualified service name, such as `hodei.v1.JobService`.
    public let service: String
    /// The method name as declared, such as `SubmitJob`.
    public let method: String
    public let kind: RPCKind

    public init(service: String, method: String, kind: RPCKind) {
        self.service = service
        self.method = method
        self.kind = kind
    }

    /// The HTTP/2 `:path` of the method: `/package.Service/Method`.
    public var path: String { "/\(service)/\(method)" }

    public var description: String { path }
}

/// A service and the methods it declares.
public struct ServiceDescriptor: Sendable, Hashable {
    /// The fully qualified service name.
    public let name: String
    public let methods: [MethodDescriptor]

    public init(name: String, methods: [MethodDescriptor]) {
        self.name = name
        self.methods = methods
    }
}
