import CNGHTTP2
import NIOConcurrencyHelpers
import NIOCore
import RPCCore

// nghttp2 events for the client: response headers, messages and trailers in, request body out.

extension GRPCClientConnectionHandler {
    func sessionDidBeginHeaders(streamID: Int32) {
        streams[streamID]?.headerBlock = []
    }

    func sessionDidReceiveGoaway(lastStreamID: Int32) {
        // New calls go to a new connection; calls the server already accepted finish here.
        isClosed = true
        draining.withLockedValue { $0 = true }
        let refused = streams.filter { $0.key > lastStreamID }
        for (id, stream) in refused {
            streams.removeValue(forKey: id)
            end(stream, Status(code: .unavailable, message: "the server is going away and did not start the call"), [:])
        }
        if streams.isEmpty {
            closeAfterFlush = true
            scheduleFlush()
        }
    }

    func sessionDidReceiveHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        streams[streamID]?.headerBlock.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        return true
    }

    func sessionDidEndHeaders(streamID: Int32, endStream: Bool) {
        guard let stream = streams[streamID] else { return }
        if endStream { stream.inboundEnded = true }
        let block = stream.headerBlock
        stream.headerBlock = []
        if stream.initialMetadata == nil {
            let httpStatus = block.first { $0.0 == ":status" }.flatMap { Int($0.1) } ?? 0
            guard httpStatus == 200 else {
                finish(stream, Status.fromHTTPStatus(httpStatus), [:])
                return
            }
            guard block.first(where: { $0.0 == "content-type" })?.1.hasPrefix("application/grpc") == true else {
                finish(stream, Status(code: .unknown, message: "the response content-type is not application/grpc"), [:])
                return
            }
            if endStream {
                // Trailers-only: the status is in the one header block.
                let status = HeaderCoding.status(from: block) ?? Status(code: .internal, message: "the response has no grpc-status")
                finish(stream, status, HeaderCoding.metadata(from: block))
                return
            }
            let metadata = HeaderCoding.metadata(from: block)
            stream.responseIsGzip = block.contains { $0.0 == "grpc-encoding" && $0.1 == "gzip" }
            stream.initialMetadata = metadata
            for waiter in stream.headerWaiters { waiter.resume(returning: metadata) }
            stream.headerWaiters.removeAll()
        } else {
            let status = HeaderCoding.status(from: block) ?? Status(code: .internal, message: "the trailers have no grpc-status")
            finish(stream, status, HeaderCoding.metadata(from: block))
        }
    }

    func sessionDidReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer, endsStream: Bool) {
        guard let stream = streams[streamID] else {
            // A call that has ended (cancelled, failed): nobody reads these bytes.
            session?.consume(streamID: streamID, count: bytes.count, streamEnded: endsStream)
            return
        }
        if endsStream { stream.inboundEnded = true }
        stream.window.arrive(bytes.count)
        defer { giveBack(stream.window.settle(), of: stream) }
        var input = bytes
        do {
            while let message = try stream.deframer.next(from: &input) {
                let size = 5 + message.bytes.count
                guard message.compressed else {
                    if stream.responses.yield(RPCReceivedMessage(bytes: message.bytes, compressed: false), flowControlledBytes: size) {
                        stream.window.queue(size)
                    }
                    continue
                }
                guard stream.responseIsGzip else {
                    cancel(streamID, status: Status(code: .internal, message: "a compressed response, but the server declared no grpc-encoding"))
                    return
                }
                guard let bytes = try? Gzip.decompress(message.bytes, limit: configuration.maxReceiveMessageSize) else {
                    cancel(streamID, status: Status(code: .resourceExhausted, message: "a response message is not valid gzip or is over the size limit"))
                    return
                }
                if stream.responses.yield(RPCReceivedMessage(bytes: bytes, compressed: true), flowControlledBytes: size) {
                    stream.window.queue(size)
                }
            }
        } catch {
            if case .messageTooLarge(let length, let limit) = error {
                cancel(streamID, status: Status(code: .resourceExhausted, message: "response message of \(length) bytes is over the limit of \(limit)"))
            } else {
                cancel(streamID, status: Status(code: .internal, message: "malformed response framing"))
            }
        }
    }

    func sessionDidReceiveEndStream(streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        finish(stream, Status(code: .internal, message: "the server ended the stream without trailers"), [:])
    }

    func sessionDidCloseStream(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        defer {
            if isClosed && streams.isEmpty {
                closeAfterFlush = true
                scheduleFlush()
            }
        }
        let status: Status
        switch errorCode {
        case NGHTTP2_NO_ERROR.rawValue: status = Status(code: .internal, message: "the stream closed without a status")
        case NGHTTP2_REFUSED_STREAM.rawValue: status = Status(code: .unavailable, message: "the server refused the stream")
        case NGHTTP2_CANCEL.rawValue: status = Status(code: .cancelled, message: "the server cancelled the stream")
        case NGHTTP2_ENHANCE_YOUR_CALM.rawValue: status = Status(code: .resourceExhausted, message: "the server asked to slow down")
        default: status = Status(code: .internal, message: "the server reset the stream (HTTP/2 error \(errorCode))")
        }
        end(stream, status, [:])
    }

    func sessionReadData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> NGHTTP2Session.DataChunk {
        guard let stream = streams[streamID] else { return .deferred }
        let count = stream.outbound.take(into: buffer)
        stream.sendQueue.noteOutbound(stream.outbound.pendingBytes)
        if stream.outbound.pendingBytes == 0 && stream.requestsFinished {
            return .endOfBody(count, trailersFollow: false)
        }
        if count > 0 { return .bytes(count) }
        stream.isDeferred = true
        return .deferred
    }

    private func finish(_ stream: ClientStream, _ status: Status, _ trailers: Metadata) {
        end(stream, status, trailers)
        if status.code != .ok || stream.outcome != nil {
            // The server has answered: stop sending (a RST if our side is still open).
            if !stream.requestsFinished || stream.outbound.pendingBytes > 0 {
                streams.removeValue(forKey: stream.id)
                session?.resetStream(streamID: stream.id, errorCode: NGHTTP2_NO_ERROR.rawValue)
                scheduleFlush()
            }
        }
    }
}
