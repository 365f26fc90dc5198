/// Framed gRPC messages waiting for nghttp2's data provider to take them, on one stream.
/// Confined to the connection's event loop.
///
/// The first message waiting is kept as it came, with its 5-byte prefix beside it, so the
/// usual single message of a call is copied only into nghttp2's frame. Messages queued
/// behind it are framed into one buffer.
struct OutboundMessageQueue {
    private var head: [UInt8] = []
    /// The prefix of `head`: compressed flag, then big-endian length.
    private var headPrefix: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0)
    /// Bytes of `head`'s prefix and message not yet taken; 0 when there is no head.
    private var headRemaining = 0
    private var tail: [UInt8] = []
    private var tailIndex = 0

    /// Bytes queued and not yet taken.
    var pendingBytes: Int { headRemaining + tail.count - tailIndex }

    /// Frames `message` (gzip-compressed when `compress`) behind what is queued.
    mutating func append(_ message: [UInt8], compress: Bool) {
        let message = compress ? Gzip.compress(message) : message
        guard headRemaining == 0 && tailIndex == tail.count else {
            GRPCMessageFramer.frame(message, compressed: compress, into: &tail)
            return
        }
        let length = UInt32(message.count)
        headPrefix = (compress ? 1 : 0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF))
        head = message
        headRemaining = 5 + message.count
    }

    /// Copies up to `buffer.count` queued bytes; compacts the queue once it is drained.
    mutating func take(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        if headRemaining > 0 {
            let taken = 5 + head.count - headRemaining
            if taken < 5 {
                let count = min(5 - taken, buffer.count)
                withUnsafeBytes(of: headPrefix) { prefix in
                    (buffer.baseAddress! + written).copyMemory(from: prefix.baseAddress! + taken, byteCount: count)
                }
                written += count
                headRemaining -= count
            }
            let count = min(buffer.count - written, headRemaining)
            if count > 0 {
                let start = head.count - headRemaining
                head.withUnsafeBytes { source in
                    (buffer.baseAddress! + written).copyMemory(from: source.baseAddress! + start, byteCount: count)
                }
                written += count
                headRemaining -= count
            }
            if headRemaining == 0 { head = [] }
        }
        let count = min(buffer.count - written, tail.count - tailIndex)
        if count > 0 {
            let start = tailIndex
            tail.withUnsafeBytes { source in
                (buffer.baseAddress! + written).copyMemory(from: source.baseAddress! + start, byteCount: count)
            }
            written += count
            tailIndex += count
        }
        if tailIndex > 0 && tailIndex == tail.count {
            // Keep a modest buffer for the next messages; let a huge one go.
            tail.removeAll(keepingCapacity: tail.capacity <= 1 << 20)
            tailIndex = 0
        }
        return written
    }
}
