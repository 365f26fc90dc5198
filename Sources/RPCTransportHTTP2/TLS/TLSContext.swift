import COpenSSL

/// The one owner of an `SSL_CTX`: certificates, trust roots, protocol versions and ALPN.
///
/// OpenSSL allows creating `SSL` objects from one context on many threads once it is set up,
/// and nothing changes it afterwards, hence `@unchecked Sendable`.
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    let configuration: TLSConfiguration

    init(_ configuration: TLSConfiguration) throws(TLSError) {
        guard let context = SSL_CTX_new(configuration.role == .server ? TLS_server_method() : TLS_client_method()) else {
            throw TLSError("cannot create an OpenSSL context")
        }
        self.context = context
        self.configuration = configuration
        _ = COpenSSL_set_min_tls12(context)
        if let chain = configuration.certificateChainPath {
            guard SSL_CTX_use_certificate_chain_file(context, chain) == 1 else { throw TLSError("cannot load the certificate chain \(chain)") }
            guard let key = configuration.privateKeyPath, SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1 else {
                throw TLSError("cannot load the private key \(configuration.privateKeyPath ?? "(none)")")
            }
            guard SSL_CTX_check_private_key(context) == 1 else { throw TLSError("the private key does not match the certificate") }
        } else if configuration.role == .server {
            throw TLSError("a TLS server needs a certificate chain and a private key")
        }
        switch configuration.role {
        case .server:
            COpenSSL_server_select_h2(context)
            if let clientCAs = configuration.trustRootsPath {
                guard SSL_CTX_load_verify_locations(context, clientCAs, nil) == 1 else { throw TLSError("cannot load client CAs \(clientCAs)") }
                SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
            }
        case .client:
            if let roots = configuration.trustRootsPath {
                guard SSL_CTX_load_verify_locations(context, roots, nil) == 1 else { throw TLSError("cannot load trust roots \(roots)") }
            } else {
                SSL_CTX_set_default_verify_paths(context)
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        }
    }

    deinit {
        SSL_CTX_free(context)
    }
}

/// OpenSSL's thread-local error queue as text.
enum OpenSSLErrors {
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")
    }
}
