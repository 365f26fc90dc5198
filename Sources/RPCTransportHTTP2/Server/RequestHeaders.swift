import RPCCore

/// The request headers of one call, as the server needs them.
///
/// The transport's own fields are read straight from nghttp2's bytes as they arrive; only
/// what a handler may see as metadata (and the rare fields that need parsing) becomes
/// `String`s. A unary call with the usual headers then costs no string at all here.
struct RequestHeaders {
    var isPOST = false
    var hasMethod = false
    var contentTypeIsGRPC = false
    var hasContentType = false
    /// The route, resolved as `:path` arrives (see `GRPCServerConnectionHandler.route`).
    var route: Route = .missing
    var grpcEncoding: String?
    var acceptsGzip = false
    var timeout: String?
    /// Every field that is not transport-owned, in arrival order (`-bin` values still base64).
    var metadata: [(String, String)] = []

    enum Route {
        case missing
        case found(RPCServerMethodRef)
        case unknown(path: String)
    }

    /// Records one field. Returns true for the first `:path`, which the caller resolves into
    /// `route` (a closure here would cost a context per header).
    mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = name.first else { return false }
        if first == UInt8(ascii: ":") {
            if name.equals(":method") {
                guard !hasMethod else { return false }
                hasMethod = true
                isPOST = value.equals("POST")
            } else if name.equals(":path") {
                if case .missing = route { return true }
            }
            return false // :scheme, :authority
        }
        if first == UInt8(ascii: "g") && name.starts(with: "grpc-") {
            if name.equals("grpc-accept-encoding") {
                acceptsGzip = acceptsGzip || Self.listsGzip(value)
            } else if name.equals("grpc-encoding") {
                if grpcEncoding == nil { grpcEncoding = String(decoding: value, as: UTF8.self) }
            } else if name.equals("grpc-timeout") {
                if timeout == nil { timeout = String(decoding: value, as: UTF8.self) }
            }
            return false // other grpc-* fields are reserved
        }
        if name.equals("content-type") {
            guard !hasContentType else { return false }
            hasContentType = true
            contentTypeIsGRPC = value.starts(with: "application/grpc")
            return false
        }
        if name.equals("te") || name.equals("user-agent") || name.equals("content-length") { return false }
        metadata.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        return false
    }

    /// Whether a comma-separated `grpc-accept-encoding` value lists gzip.
    static func listsGzip(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        value.split(separator: UInt8(ascii: ",")).contains { token in
            token.filter { $0 != UInt8(ascii: " ") }.elementsEqual("gzip".utf8)
        }
    }
}

/// The request header block being received. HTTP/2 sends a block's frames back to back,
/// so a connection has at most one, kept outside the stream so that each field costs no
/// stream lookup.
struct RequestHeaderBlock {
    /// 0 when no request's headers are being received (trailers are ignored).
    var streamID: Int32 = 0
    var headers = RequestHeaders()
    /// Field sizes as HTTP/2 counts them against SETTINGS_MAX_HEADER_LIST_SIZE.
    var bytes = 0
}

/// A routed method, held by reference so a stream copies one pointer.
final class RPCServerMethodRef {
    let method: RPCServerMethod
    /// A unary method with a whole-request handler (`RPCServerMethod.unary`).
    let takesWholeRequest: Bool
    /// The handler starts with the call, not once the request is complete.
    let startsWithCall: Bool

    init(_ method: RPCServerMethod) {
        self.method = method
        takesWholeRequest = method.unary != nil && method.descriptor.kind == .unary
        startsWithCall = method.descriptor.kind.isClientStreaming
    }
}

// Byte comparisons by index: the generic `elementsEqual` costs an iterator per call, and
// these run for every header field of every request.
extension UnsafeBufferPointer<UInt8> {
    func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && hasPrefix(text.utf8Start, count)
    }

    func starts(with text: StaticString) -> Bool {
        count >= text.utf8CodeUnitCount && hasPrefix(text.utf8Start, text.utf8CodeUnitCount)
    }

    func equals(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        count == other.count && (count == 0 || hasPrefix(other.baseAddress!, count))
    }

    /// Whether the first `length` bytes (at most `count`) are those at `bytes`.
    private func hasPrefix(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        for index in 0..<length where self[index] != bytes[index] { return false }
        return true
    }
}
