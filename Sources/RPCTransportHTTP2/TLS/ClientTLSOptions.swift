/// A client's TLS as its command line and environment give it (the agent's and the CLI's
/// `--tls`, `--ca-file`, `--cert-file`, `--key-file`, `--tls-server-name`).
public struct ClientTLSOptions: Sendable {
    /// `--tls` (or HODEI_TLS): true or false when said, nil when not.
    public var enabled: Bool?
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var serverName: String?

    public init(enabled: Bool?, caFile: String?, certFile: String?, keyFile: String?, serverName: String?) {
        self.enabled = enabled
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.serverName = serverName
    }

    /// Why the options do not make a configuration.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The client configuration, or nil for plain h2c. A CA or a certificate implies TLS
    /// unless TLS was turned off explicitly; a certificate needs its key and the other way round.
    public func configuration() throws(Invalid) -> TLSConfiguration? {
        guard (certFile == nil) == (keyFile == nil) else { throw Invalid(description: "--cert-file and --key-file go together") }
        guard enabled ?? (caFile != nil || certFile != nil) else { return nil }
        return .client(trustRoots: caFile, serverNameOverride: serverName, certificateChain: certFile, privateKey: keyFile)
    }
}
