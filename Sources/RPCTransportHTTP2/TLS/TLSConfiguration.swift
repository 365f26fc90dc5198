/// TLS settings of a server or client, as PEM files.
public struct TLSConfiguration: Sendable {
    public enum Role: Sendable { case server, client }

    public var role: Role
    /// This side's certificate chain and key (required for servers; for clients, mutual TLS).
    public var certificateChainPath: String?
    public var privateKeyPath: String?
    /// Servers: when set, clients must present a certificate signed by these CAs (mutual TLS).
    /// Clients: the roots that verify the server (nil: the system's default roots).
    public var trustRootsPath: String?
    /// Clients: the name the server's certificate must carry, and the SNI (default: the host).
    public var serverNameOverride: String?

    public static func server(certificateChain: String, privateKey: String, requireClientCertificatesFrom clientCAs: String? = nil) -> Self {
        TLSConfiguration(role: .server, certificateChainPath: certificateChain, privateKeyPath: privateKey, trustRootsPath: clientCAs)
    }

    public static func client(trustRoots: String? = nil, serverNameOverride: String? = nil,
                              certificateChain: String? = nil, privateKey: String? = nil) -> Self {
        TLSConfiguration(role: .client, certificateChainPath: certificateChain, privateKeyPath: privateKey,
                         trustRootsPath: trustRoots, serverNameOverride: serverNameOverride)
    }
}

/// A TLS setup or handshake failure, with OpenSSL's own reasons.
public struct TLSError: Error, CustomStringConvertible {
    public let description: String

    init(_ what: String) {
        self.description = what + OpenSSLErrors.drain()
    }
}
