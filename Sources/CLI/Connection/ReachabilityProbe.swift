import Glibc
import RPCTransportHTTP2

/// Finds out why a server cannot be reached, with a plain TCP connection attempt.
///
/// The transport reports every failure to connect as UNAVAILABLE with its cause as text; a
/// second, bare attempt gives the operating system's own reason ("connection refused",
/// "connection timed out", a name that does not resolve) without parsing that text.
enum ReachabilityProbe {
    enum Outcome: Equatable {
        /// A TCP connection opened (the trouble is above TCP: TLS, HTTP/2, the server itself).
        case reachable
        /// No TCP connection, for this reason (lowercase, as in "connection refused").
        case unreachable(String)
    }

    /// Tries each resolved address in turn, waiting at most `timeoutMilliseconds` for each.
    static func probe(_ address: HostAndPort, timeoutMilliseconds: Int32 = 2000) -> Outcome {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(address.host, String(address.port), &hints, &list)
        guard resolved == 0 else {
            return .unreachable("cannot resolve \(address.host): " + String(cString: gai_strerror(resolved)).lowercased())
        }
        defer { freeaddrinfo(list) }
        var lastError = ECONNREFUSED
        var node = list
        while let info = node {
            node = info.pointee.ai_next
            let socketType = info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            let descriptor = socket(info.pointee.ai_family, socketType, info.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastError = errno
                continue
            }
            defer { close(descriptor) }
            if connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return .reachable }
            guard errno == EINPROGRESS else {
                lastError = errno
                continue
            }
            var waiter = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            guard poll(&waiter, 1, timeoutMilliseconds) == 1 else {
                lastError = ETIMEDOUT
                continue
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if socketError == 0 { return .reachable }
            lastError = socketError
        }
        return .unreachable(String(cString: strerror(lastError)).lowercased())
    }
}
