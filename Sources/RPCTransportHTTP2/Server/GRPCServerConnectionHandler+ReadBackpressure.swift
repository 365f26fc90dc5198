import NIOCore

// Reading stops while the channel cannot write. A client that pipelines requests without
// reading the responses fills the socket; without this the server would go on reading
// requests and running handlers whose responses can only queue (in nghttp2 and the streams'
// outbound queues), without bound. Holding `read` stops the socket being read, so the
// client's own sends block in TCP instead. Reading resumes as soon as the channel drains:
// a client that reads its responses never sees a pause.
//
// Only the server does this. If both ends stopped reading while unwritable, two peers that
// both send a lot (a busy bidirectional stream) could each wait for the other forever; the
// client always reads and relies on HTTP/2 flow control (windows it grants as the caller
// takes messages) to bound what it buffers.

extension GRPCServerConnectionHandler {
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            flush()
            // The flush may have filled the channel again: then keep waiting.
            if readHeld && context.channel.isWritable {
                readHeld = false
                context.read()
            }
        }
        context.fireChannelWritabilityChanged()
    }
}
