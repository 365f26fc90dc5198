/// An address as Hodei's command lines take it: `HOST:PORT`, `[IPv6]:PORT`, `[IPv6]`, a bare
/// IPv6 address, `HOST` alone (the default port, when there is one), or `:PORT` (the default
/// host, when there is one). The server's `--listen`, the agent's and the CLI's `--server`
/// and `hodei-load` all parse with it, so they accept the same spellings.
public struct HostAndPort: Hashable, Sendable, CustomStringConvertible {
    /// The port clients use when an address names none.
    public static let defaultServerPort = 50051

    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Nil when `text` is not one of the spellings above, has no host and there is no
    /// `defaultHost`, has no port and there is no `defaultPort`, or has a port outside
    /// 1...65535 (0...65535 with `allowsPortZero`, for "any free port" when listening).
    public init?(parsing text: String, defaultHost: String? = nil, defaultPort: Int? = nil, allowsPortZero: Bool = false) {
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            // Exactly one colon: HOST:PORT. More than one, unbracketed: a bare IPv6 address.
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        let port: Int
        if let portText {
            guard let parsed = Int(portText), (allowsPortZero ? 0 : 1)...65535 ~= parsed else { return nil }
            port = parsed
        } else {
            guard let defaultPort else { return nil }
            port = defaultPort
        }
        let resolvedHost = host.isEmpty ? defaultHost : String(host)
        guard let resolvedHost, !resolvedHost.isEmpty else { return nil }
        self.init(host: resolvedHost, port: port)
    }

    /// `HOST:PORT`, with an IPv6 host in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether the host is this machine's loopback (by name or address).
    public var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
}
