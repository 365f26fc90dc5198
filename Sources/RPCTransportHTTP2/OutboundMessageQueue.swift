/// Framed gRPC messages waiting for nghttp2's data provider to take them, on one stream.
/// Confined to the connection's event loop.
struct OutboundMessageQueue {
    private var bytes: [UInt8] = []
    private var readIndex = 0

    /// Bytes queued and not yet taken.
    var pendingBytes: Int { bytes.count - readIndex }

    /// Frames `message` (gzip-compressed when `compress`) behind what is queued.
    mutating func append(_ message: [UInt8], compress: Bool) {
        if compress {
            GRPCMessageFramer.frame(Gzip.compress(message), compressed: true, into: &bytes)
        } else {
            GRPCMessageFramer.frame(message, into: &bytes)
        }
    }

    /// Copies up to `buffer.count` queued bytes; compacts the queue once it is drained.
    mutating func take(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, pendingBytes)
        if count > 0 {
            let start = readIndex
            bytes.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: count)
            }
            readIndex += count
        }
        if readIndex == bytes.count {
            // Keep a modest buffer for the next messages; let a huge one go.
            bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 20)
            readIndex = 0
        }
        return count
    }
}
