import NIOCore

extension NGHTTP2Session {
    /// Moves every pending frame into the channel as few large writes, then flushes.
    ///
    /// Returns true when the connection is finished (nghttp2 failed, wants neither to read
    /// nor write, or `closing` was asked); the channel is then closed once the last write has
    /// gone out, so final frames (trailers, GOAWAY) are never cut off. Called on the loop.
    func drain(into context: ChannelHandlerContext, closing: Bool) -> Bool {
        var out = context.channel.allocator.buffer(capacity: 16_384)
        let healthy = send { chunk in
            out.writeBytes(chunk)
            if out.readableBytes >= 65_536 {
                context.write(NIOAny(out), promise: nil)
                out = context.channel.allocator.buffer(capacity: 16_384)
            }
        }
        let done = !healthy || closing || (!wantsRead && !wantsWrite)
        let written: EventLoopPromise<Void>? = done ? context.eventLoop.makePromise() : nil
        if out.readableBytes > 0 || written != nil { context.write(NIOAny(out), promise: written) }
        context.flush()
        if let written {
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
        return done
    }
}
