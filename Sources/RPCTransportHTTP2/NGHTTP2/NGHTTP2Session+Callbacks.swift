import CNGHTTP2

// The C callbacks of every session: each recovers its session from `user_data` and
// forwards to the delegate. The session is passed unretained; that is sound because every
// call that can fire a callback is made by the session itself, on its loop, while alive.

extension NGHTTP2Session {
    private static func from(_ userData: UnsafeMutableRawPointer?) -> NGHTTP2Session {
        Unmanaged<NGHTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// One callbacks table for the process; nghttp2 copies it into each session.
    nonisolated(unsafe) static let callbacks: OpaquePointer = {
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)

        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            NGHTTP2Session.from(userData).delegate.sessionDidBeginHeaders(streamID: frame.pointee.hd.stream_id)
            return 0
        }

        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, let name, let value else { return 0 }
            let accepted = NGHTTP2Session.from(userData).delegate.sessionDidReceiveHeader(
                streamID: frame.pointee.hd.stream_id,
                name: UnsafeBufferPointer(start: name, count: nameLength),
                value: UnsafeBufferPointer(start: value, count: valueLength)
            )
            return accepted ? 0 : Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }

        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let header = frame.pointee.hd
            let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            let delegate = NGHTTP2Session.from(userData).delegate
            switch UInt32(header.type) {
            case NGHTTP2_HEADERS.rawValue:
                delegate.sessionDidEndHeaders(streamID: header.stream_id, endStream: endStream)
            case NGHTTP2_DATA.rawValue where endStream:
                delegate.sessionDidReceiveEndStream(streamID: header.stream_id)
            case NGHTTP2_PING.rawValue where header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0:
                delegate.sessionDidReceivePingAck()
            case NGHTTP2_GOAWAY.rawValue:
                delegate.sessionDidReceiveGoaway(lastStreamID: frame.pointee.goaway.last_stream_id)
            default:
                break
            }
            return 0
        }

        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, flags, streamID, data, length, userData in
            guard let data else { return 0 }
            NGHTTP2Session.from(userData).delegate.sessionDidReceiveData(
                streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length),
                endsStream: flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0)
            return 0
        }

        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            NGHTTP2Session.from(userData).delegate.sessionDidCloseStream(streamID: streamID, errorCode: errorCode)
            return 0
        }
        return callbacks!
    }()

    /// The data provider of every body: asks the delegate for the stream's bytes.
    static let dataProvider = nghttp2_data_provider(
        source: nghttp2_data_source(ptr: nil),
        read_callback: { _, streamID, buffer, length, dataFlags, _, userData in
            guard let buffer, let dataFlags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
            let delegate = NGHTTP2Session.from(userData).delegate
            switch delegate.sessionReadData(streamID: streamID, into: UnsafeMutableRawBufferPointer(start: buffer, count: length)) {
            case .bytes(let count):
                return count
            case .endOfBody(let count, let trailersFollow):
                dataFlags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                if trailersFollow { dataFlags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue }
                return count
            case .deferred:
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        }
    )
}
