import COpenSSL
import NIOCore

/// TLS on a channel through OpenSSL with memory BIOs: ciphertext below, plaintext above.
///
/// The one owner of its `SSL` object; runs on the channel's event loop. Plaintext written
/// before the handshake completes is held and sent after it. ALPN must agree on `h2`.
final class OpenSSLHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let tls: TLSContext
    private let serverName: String?
    private var ssl: OpaquePointer?
    private var writeBIO: OpaquePointer?
    private var readBIO: OpaquePointer?
    private var handshakeDone = false
    private var failed = false
    private var pendingWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var scratch = [UInt8](repeating: 0, count: 16_384)

    /// - Parameter serverName: clients: the name to send (SNI) and to verify.
    init(context: TLSContext, serverName: String? = nil) {
        self.tls = context
        self.serverName = serverName
    }

    func handlerAdded(context: ChannelHandlerContext) {
        ssl = SSL_new(tls.context)
        readBIO = BIO_new(BIO_s_mem())
        writeBIO = BIO_new(BIO_s_mem())
        SSL_set_bio(ssl, readBIO, writeBIO)
        switch tls.configuration.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            _ = COpenSSL_client_offer_h2(ssl)
            if let name = serverName {
                if name.contains(":") || name.allSatisfy({ $0.isNumber || $0 == "." }) {
                    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name)
                } else {
                    _ = COpenSSL_set_sni(ssl, name)
                    SSL_set1_host(ssl, name)
                }
            }
            if context.channel.isActive { handshake(context: context) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        SSL_free(ssl) // also frees both BIOs
        ssl = nil
        for (_, promise) in pendingWrites { promise?.fail(ChannelError.ioOnClosedChannel) }
        pendingWrites.removeAll()
    }

    func channelActive(context: ChannelHandlerContext) {
        if tls.configuration.role == .client { handshake(context: context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { bytes in
            _ = BIO_write(readBIO, bytes.baseAddress, Int32(bytes.count))
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        if !handshakeDone { handshake(context: context) }
        if handshakeDone { readPlaintext(context: context) }
        flushCiphertext(context: context, promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        guard handshakeDone else {
            pendingWrites.append((buffer, promise))
            return
        }
        encrypt(buffer, context: context, promise: promise)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if handshakeDone && !failed {
            SSL_shutdown(ssl)
            flushCiphertext(context: context, promise: nil)
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }

    // MARK: TLS steps

    private func handshake(context: ChannelHandlerContext) {
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            handshakeDone = true
            // Servers refuse clients that offer only other protocols (in the ALPN callback) and
            // accept clients that send no ALPN at all; clients insist on h2.
            guard negotiatedH2() || tls.configuration.role == .server else {
                fail(context: context, TLSError("the peer did not agree to ALPN h2"))
                return
            }
            let writes = pendingWrites
            pendingWrites.removeAll()
            for (buffer, promise) in writes { encrypt(buffer, context: context, promise: promise) }
            flushCiphertext(context: context, promise: nil)
            context.flush()
            return
        }
        let error = SSL_get_error(ssl, result)
        if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
            flushCiphertext(context: context, promise: nil)
            context.flush()
        } else {
            fail(context: context, TLSError("TLS handshake failed"))
        }
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        while true {
            let count = scratch.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 {
                var out = context.channel.allocator.buffer(capacity: Int(count))
                _ = scratch.withUnsafeBytes { out.writeBytes(UnsafeRawBufferPointer(rebasing: $0[0..<Int(count)])) }
                context.fireChannelRead(wrapInboundOut(out))
                continue
            }
            let error = SSL_get_error(ssl, count)
            if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE { return }
            if error == SSL_ERROR_ZERO_RETURN {
                context.close(promise: nil)
            } else {
                fail(context: context, TLSError("TLS read failed"))
            }
            return
        }
    }

    private func encrypt(_ buffer: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let written = buffer.withUnsafeReadableBytes { bytes -> Int32 in
            bytes.isEmpty ? 0 : SSL_write(ssl, bytes.baseAddress, Int32(bytes.count))
        }
        if written < 0 {
            promise?.fail(TLSError("TLS write failed"))
            fail(context: context, TLSError("TLS write failed"))
            return
        }
        flushCiphertext(context: context, promise: promise)
    }

    /// Moves what OpenSSL produced (records, alerts, tickets) to the channel.
    private func flushCiphertext(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let pending = Int(BIO_ctrl_pending(writeBIO))
        guard pending > 0 else {
            promise?.succeed()
            return
        }
        var out = context.channel.allocator.buffer(capacity: pending)
        out.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
            Int(BIO_read(writeBIO, bytes.baseAddress, Int32(pending)))
        }
        context.write(wrapOutboundOut(out), promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        context.flush()
    }

    private func fail(context: ChannelHandlerContext, _ error: TLSError) {
        guard !failed else { return }
        failed = true
        flushCiphertext(context: context, promise: nil) // a fatal alert, if OpenSSL wrote one
        context.flush()
        for (_, promise) in pendingWrites { promise?.fail(error) }
        pendingWrites.removeAll()
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func negotiatedH2() -> Bool {
        var protocolName: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &protocolName, &length)
        guard let protocolName, length == 2 else { return false }
        return protocolName[0] == UInt8(ascii: "h") && protocolName[1] == UInt8(ascii: "2")
    }
}
