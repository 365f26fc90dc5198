import CNGHTTP2

/// What an ``NGHTTP2Session`` reports while it parses input or produces output.
///
/// Called synchronously from inside `receive` and `send`, on the connection's event loop.
/// Implementations may submit frames (`submit*`) but must not call `receive` or `send`.
protocol NGHTTP2SessionDelegate: AnyObject {
    func sessionDidBeginHeaders(streamID: Int32)
    /// Returns false to reset the stream (for example a header block that is too large).
    func sessionDidReceiveHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool
    func sessionDidEndHeaders(streamID: Int32, endStream: Bool)
    /// A chunk of a DATA frame's payload (padding removed). The delegate owns its flow
    /// control: it must give every byte back with `consume` once it is taken (or dropped).
    /// `endsStream`: the frame carries END_STREAM, so no stream window is needed any more.
    func sessionDidReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer, endsStream: Bool)
    func sessionDidReceiveEndStream(streamID: Int32)
    func sessionDidCloseStream(streamID: Int32, errorCode: UInt32)
    /// The peer acknowledged one of our PINGs.
    func sessionDidReceivePingAck()
    /// The peer sent GOAWAY: it will not accept streams above `lastStreamID`.
    func sessionDidReceiveGoaway(lastStreamID: Int32)
    /// Fills `buffer` with response body bytes for `streamID`.
    func sessionReadData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> NGHTTP2Session.DataChunk
}

/// The one owner of an `nghttp2_session*` (HTTP/2 framing, HPACK and flow control).
///
/// Lives on one event loop; nothing else touches the C session. Input goes in through
/// `receive`, output comes out of `send`; callbacks go to the delegate.
final class NGHTTP2Session {
    enum Role { case server, client }

    /// The answer to a data-provider read.
    enum DataChunk {
        /// `count` bytes were copied; more may follow.
        case bytes(Int)
        /// `count` bytes were copied and the body is complete. With `trailersFollow` the
        /// delegate has submitted trailers (server); otherwise DATA carries END_STREAM (client).
        case endOfBody(Int, trailersFollow: Bool)
        /// Nothing to send now; call `resumeData` when there is.
        case deferred
    }

    struct ProtocolError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { String(cString: nghttp2_strerror(code)) }
    }

    @exclusivity(unchecked) private var session: OpaquePointer?
    /// The connection handler that owns this session. Unowned and unchecked: the owner holds
    /// the session and every callback runs inside a call the owner makes, so it is alive; a
    /// weak reference cost an atomic load per header.
    unowned(unsafe) let delegate: any NGHTTP2SessionDelegate

    init(role: Role, delegate: any NGHTTP2SessionDelegate, settings: [(id: Int32, value: UInt32)], connectionWindow: Int32) {
        self.delegate = delegate
        var option: OpaquePointer?
        nghttp2_option_new(&option)
        // gRPC peers send no priority; and nghttp2 must not buffer unbounded header blocks.
        nghttp2_option_set_no_http_messaging(option, 0)
        nghttp2_option_set_max_send_header_block_length(option, 64 * 1024)
        // Window goes back to the peer only when the application has taken the bytes
        // (`consume`), so a slow reader stops its peer instead of buffering without bound.
        nghttp2_option_set_no_auto_window_update(option, 1)
        let userData = Unmanaged.passUnretained(self).toOpaque()
        switch role {
        case .server: nghttp2_session_server_new2(&session, Self.callbacks, userData, option)
        case .client: nghttp2_session_client_new2(&session, Self.callbacks, userData, option)
        }
        nghttp2_option_del(option)
        var entries = settings.map { nghttp2_settings_entry(settings_id: $0.id, value: $0.value) }
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        if connectionWindow > 65_535 {
            nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, connectionWindow)
        }
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: Input and output

    /// Feeds received bytes; callbacks fire during the call.
    func receive(_ bytes: UnsafeRawBufferPointer) throws(ProtocolError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let result = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if result < 0 { throw ProtocolError(code: Int32(result)) }
    }

    /// Pulls pending frames; `emit` is called per chunk (valid only during the call).
    /// Returns false when the session failed.
    func send(_ emit: (UnsafeRawBufferPointer) -> Void) -> Bool {
        while true {
            var chunk: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &chunk)
            if length < 0 { return false }
            if length == 0 { return true }
            emit(UnsafeRawBufferPointer(start: chunk, count: length))
        }
    }

    var wantsRead: Bool { nghttp2_session_want_read(session) != 0 }
    var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }

    // MARK: Submitting frames

    /// Sends a HEADERS frame; with `hasBody` a data provider then asks the delegate for DATA.
    func submitResponse(streamID: Int32, headers: [(String, String)], hasBody: Bool) -> Bool {
        withHeaderBlock(headers) { nva, count in
            if hasBody {
                var provider = Self.dataProvider
                return nghttp2_submit_response(session, streamID, nva, count, &provider) == 0
            }
            return nghttp2_submit_response(session, streamID, nva, count, nil) == 0
        }
    }

    /// `submitResponse` with a block built once.
    func submitResponse(streamID: Int32, block: StaticHeaderBlock, hasBody: Bool) -> Bool {
        if hasBody {
            var provider = Self.dataProvider
            return nghttp2_submit_response(session, streamID, block.fields, block.count, &provider) == 0
        }
        return nghttp2_submit_response(session, streamID, block.fields, block.count, nil) == 0
    }

    /// `submitTrailers` with a block built once.
    func submitTrailers(streamID: Int32, block: StaticHeaderBlock) {
        nghttp2_submit_trailer(session, streamID, block.fields, block.count)
    }

    /// Sends a request HEADERS frame (client); returns the new stream id, or nil.
    func submitRequest(headers: [(String, String)], streamUserData: UnsafeMutableRawPointer? = nil) -> Int32? {
        withHeaderBlock(headers) { nva, count in
            var provider = Self.dataProvider
            let id = nghttp2_submit_request(session, nil, nva, count, &provider, streamUserData)
            return id > 0 ? id : nil
        }
    }

    /// Sends trailers; must follow a body that ended with `.endOfBody`.
    func submitTrailers(streamID: Int32, headers: [(String, String)]) {
        _ = withHeaderBlock(headers) { nva, count in
            nghttp2_submit_trailer(session, streamID, nva, count) == 0
        }
    }

    // MARK: Flow control

    /// Gives `count` DATA bytes of `streamID` back to the peer as window: on the stream and
    /// the connection, or only the connection when `streamEnded` (the peer ended the stream or
    /// it closed: a stream WINDOW_UPDATE would be wasted). nghttp2 itself gives back padding
    /// and DATA it ignores (frames for closed or reset streams); every byte reported through
    /// `sessionDidReceiveData` is ours to give back, exactly once. The WINDOW_UPDATE goes out
    /// with the next flush.
    func consume(streamID: Int32, count: Int, streamEnded: Bool) {
        guard count > 0 else { return }
        if streamEnded {
            nghttp2_session_consume_connection(session, count)
        } else {
            nghttp2_session_consume(session, streamID, count)
        }
    }

    func resetStream(streamID: Int32, errorCode: UInt32) {
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode)
    }

    /// Tells nghttp2 that a deferred stream has data again.
    func resumeData(streamID: Int32) {
        nghttp2_session_resume_data(session, streamID)
    }

    /// GOAWAY with the last stream this side processed.
    func terminate(errorCode: UInt32) {
        nghttp2_session_terminate_session(session, errorCode)
    }

    func submitGoaway(lastStreamID: Int32? = nil, errorCode: UInt32 = 0) {
        let last = lastStreamID ?? nghttp2_session_get_last_proc_stream_id(session)
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, errorCode, nil, 0)
    }

    func submitPing() {
        nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    /// Bytes the peer may still send on the connection before a WINDOW_UPDATE.
    var remoteWindow: Int32 { nghttp2_session_get_remote_window_size(session) }

    private func withHeaderBlock<R>(_ headers: [(String, String)], _ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        // nghttp2 copies names and values during submit_*, so one temporary buffer suffices.
        var bytes: [UInt8] = []
        var offsets: [(name: Int, nameLength: Int, value: Int, valueLength: Int)] = []
        offsets.reserveCapacity(headers.count)
        for (name, value) in headers {
            let nameStart = bytes.count
            bytes += name.utf8
            let valueStart = bytes.count
            bytes += value.utf8
            offsets.append((nameStart, valueStart - nameStart, valueStart, bytes.count - valueStart))
        }
        bytes.append(0) // never empty, so the buffer always has an address
        return bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeMutablePointer(mutating: buffer.baseAddress!)
            let nva = offsets.map {
                nghttp2_nv(name: base + $0.name, value: base + $0.value, namelen: $0.nameLength, valuelen: $0.valueLength,
                           flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            return nva.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }
}

/// A header block built once from static strings, for the fields most responses carry:
/// nghttp2 takes its names and values without copying them (the memory is static).
struct StaticHeaderBlock: @unchecked Sendable {
    let fields: UnsafeMutablePointer<nghttp2_nv>
    let count: Int

    /// Names must be lowercase. The block lives as long as the process.
    init(_ pairs: [(name: StaticString, value: StaticString)]) {
        fields = .allocate(capacity: pairs.count)
        count = pairs.count
        let flags = UInt8(NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue)
        for (index, pair) in pairs.enumerated() {
            (fields + index).initialize(to: nghttp2_nv(
                name: UnsafeMutablePointer(mutating: pair.name.utf8Start), value: UnsafeMutablePointer(mutating: pair.value.utf8Start),
                namelen: pair.name.utf8CodeUnitCount, valuelen: pair.value.utf8CodeUnitCount, flags: flags))
        }
    }
}
