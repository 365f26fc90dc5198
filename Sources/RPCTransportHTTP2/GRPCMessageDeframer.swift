/// Splits the bytes of a gRPC stream into length-prefixed messages
/// (1 byte compressed flag, 4 bytes big-endian length, then the message).
///
/// A length over `maxMessageSize` is rejected as soon as its prefix arrives, so a 4 GiB
/// prefix costs nothing.
struct GRPCMessageDeframer {
    enum DeframingError: Error, Equatable {
        case messageTooLarge(length: UInt32, limit: Int)
        case invalidCompressedFlag(UInt8)
    }

    struct Message: Equatable {
        var compressed: Bool
        var bytes: [UInt8]
    }

    let maxMessageSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Bytes received but not yet returned as messages.
    var bufferedBytes: Int { buffer.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex > 0 && readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message from what is buffered and then from `input`, bytes just
    /// received; the bytes it takes are removed from `input`, and an incomplete rest is
    /// buffered. A message that lies whole in `input` is copied once, straight out of it.
    mutating func next(from input: inout UnsafeRawBufferPointer) throws(DeframingError) -> Message? {
        if bufferedBytes == 0 && input.count >= 5 {
            let flag = input[0]
            guard flag <= 1 else { throw .invalidCompressedFlag(flag) }
            let length = UInt32(input[1]) << 24 | UInt32(input[2]) << 16 | UInt32(input[3]) << 8 | UInt32(input[4])
            guard length <= UInt32(maxMessageSize) else { throw .messageTooLarge(length: length, limit: maxMessageSize) }
            let end = 5 + Int(length)
            if input.count >= end {
                let message = Message(compressed: flag == 1, bytes: Array(UnsafeRawBufferPointer(rebasing: input[5..<end])))
                input = UnsafeRawBufferPointer(rebasing: input[end...])
                return message
            }
        }
        if !input.isEmpty {
            append(input)
            input = UnsafeRawBufferPointer(rebasing: input[input.endIndex...])
        }
        return try next()
    }

    /// The next complete message, or nil until more bytes arrive.
    mutating func next() throws(DeframingError) -> Message? {
        guard bufferedBytes >= 5 else { return nil }
        let flag = buffer[readIndex]
        guard flag <= 1 else { throw .invalidCompressedFlag(flag) }
        let length = UInt32(buffer[readIndex + 1]) << 24 | UInt32(buffer[readIndex + 2]) << 16
            | UInt32(buffer[readIndex + 3]) << 8 | UInt32(buffer[readIndex + 4])
        guard length <= UInt32(maxMessageSize) else { throw .messageTooLarge(length: length, limit: maxMessageSize) }
        guard bufferedBytes >= 5 + Int(length) else { return nil }
        let start = readIndex + 5
        let message = Message(compressed: flag == 1, bytes: Array(buffer[start..<start + Int(length)]))
        readIndex = start + Int(length)
        if readIndex > 65_536 && readIndex * 2 > buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        return message
    }
}

/// Writes gRPC length-prefixed messages.
enum GRPCMessageFramer {
    static func frame(_ message: [UInt8], compressed: Bool = false, into out: inout [UInt8]) {
        let length = UInt32(message.count)
        out.reserveCapacity(out.count + 5 + message.count)
        out.append(compressed ? 1 : 0)
        out.append(UInt8(length >> 24))
        out.append(UInt8(length >> 16 & 0xFF))
        out.append(UInt8(length >> 8 & 0xFF))
        out.append(UInt8(length & 0xFF))
        out.append(contentsOf: message)
    }
}
