import CNGHTTP2
import NIOCore
import RPCCore

// nghttp2 events for the server: request headers and bodies in, response bodies out.

extension GRPCServerConnectionHandler {
    func sessionDidReceiveGoaway(lastStreamID: Int32) {
        // The client is leaving: finish what runs, then close.
        beginGracefulShutdown()
    }

    func sessionDidBeginHeaders(streamID: Int32) {
        headerBlock = RequestHeaderBlock()
        guard streams[streamID] == nil else { return } // trailers from a client: ignored
        let stream = ServerStream(id: streamID, maxMessageSize: configuration.maxReceiveMessageSize)
        streams[streamID] = stream
        recentStream = stream
        headerBlock.streamID = streamID
    }

    func sessionDidReceiveHeader(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard headerBlock.streamID == streamID else { return true }
        headerBlock.bytes += name.count + value.count + 32
        guard headerBlock.bytes <= configuration.maxHeaderListSize else { return false }
        if headerBlock.headers.add(name: name, value: value) { headerBlock.headers.route = route(value) }
        return true
    }

    func sessionDidEndHeaders(streamID: Int32, endStream: Bool) {
        guard let stream = stream(streamID) else { return }
        if headerBlock.streamID == streamID && !stream.callStarted && !stream.responseHeadersSent {
            var headers = RequestHeaders()
            swap(&headers, &headerBlock.headers) // moved, not copied
            headerBlock.streamID = 0
            stream.callStarted = true
            startCall(stream, headers: headers)
        }
        if endStream { finishRequests(stream) }
    }

    func sessionDidReceiveData(streamID: Int32, bytes: UnsafeRawBufferPointer, endsStream: Bool) {
        guard let stream = stream(streamID), stream.acceptsRequestMessages else {
            // Nobody reads these bytes (a call that ended, failed or was never routed).
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
                    if stream.deliver(RPCReceivedMessage(bytes: message.bytes, compressed: false), size: size) { stream.window.queue(size) }
                    continue
                }
                guard stream.requestIsGzip else {
                    throw RPCError(code: .internal, message: "a compressed message, but the request declared no grpc-encoding")
                }
                do {
                    let bytes = try Gzip.decompress(message.bytes, limit: configuration.maxReceiveMessageSize)
                    if stream.deliver(RPCReceivedMessage(bytes: bytes, compressed: true), size: size) { stream.window.queue(size) }
                } catch .tooLarge(let limit) {
                    throw RPCError(code: .resourceExhausted, message: "a request message decompresses to more than \(limit) bytes")
                } catch {
                    throw RPCError(code: .internal, message: "a request message is not valid gzip")
                }
            }
        } catch let error as GRPCMessageDeframer.DeframingError {
            switch error {
            case .messageTooLarge(let length, let limit):
                failCall(stream, error: RPCError(code: .resourceExhausted, message: "request message of \(length) bytes is over the limit of \(limit)"))
            case .invalidCompressedFlag(let flag):
                failCall(stream, error: RPCError(code: .internal, message: "invalid compressed flag \(flag)"))
            }
        } catch {
            failCall(stream, error: error as? RPCError ?? RPCError(code: .internal, message: "\(error)"))
        }
    }

    func sessionDidReceiveEndStream(streamID: Int32) {
        guard let stream = stream(streamID) else { return }
        finishRequests(stream)
    }

    func sessionDidCloseStream(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        if recentStream === stream { recentStream = nil }
        defer {
            noteActivity()
            closeIfDrained()
        }
        stream.isClosed = true
        stream.deadlineTimer?.cancel()
        // Unread request messages: their window goes back on the connection.
        releaseInbound(stream)
        // A client's RST_STREAM (or a finished call): the handler is cancelled if still running.
        stream.handlerTask?.cancel()
        // The errors only when someone gets them: most streams close after a finished call.
        if stream.acceptsRequestMessages {
            stream.endRequests(throwing: RPCError(code: .cancelled, message: "the client cancelled the call"))
        }
        stream.pendingHandler = nil
        if !stream.blockedWriters.isEmpty {
            stream.releaseWriters(error: RPCError(code: .cancelled, message: "the stream is closed"))
        }
    }

    func sessionReadData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> NGHTTP2Session.DataChunk {
        guard let stream = stream(streamID) else { return .deferred }
        let count = stream.outbound.take(into: buffer)
        if stream.outbound.pendingBytes <= configuration.outboundHighWaterMark / 2 {
            stream.releaseWriters()
        }
        if stream.outbound.pendingBytes == 0, let trailers = stream.trailers {
            switch trailers {
            case .ok: session?.submitTrailers(streamID: streamID, block: Self.okTrailers)
            case .fields(let fields): session?.submitTrailers(streamID: streamID, headers: fields)
            }
            return .endOfBody(count, trailersFollow: true)
        }
        if count > 0 { return .bytes(count) }
        stream.isDeferred = true
        return .deferred
    }

    /// The client half-closed: no more request messages.
    private func finishRequests(_ stream: ServerStream) {
        stream.inboundEnded = true
        let endedInsideMessage = stream.deframer.bufferedBytes > 0
        if let whole = stream.wholeRequest {
            stream.wholeRequest = nil
            startUnaryHandler(stream, request: whole, endedInsideMessage: endedInsideMessage)
            return
        }
        guard let requests = stream.requests else { return }
        stream.requests = nil
        if endedInsideMessage {
            requests.finish(throwing: RPCError(code: .internal, message: "the request ended inside a message"))
        } else {
            requests.finish()
        }
        startHandler(stream, requests: requests)
    }
}
