import Glibc

/// Cuts a byte stream into lines (without the `\n`), and lines longer than `maxChunk` into
/// pieces of `maxChunk` bytes: every piece but the last of a line is `partial`.
///
/// Bytes are not decoded: output need not be UTF-8. Memory is bounded by `maxChunk` plus one
/// fed buffer: a partial piece is emitted as soon as a pending line grows past `maxChunk`.
struct LineSplitter {
    let maxChunk: Int
    /// The start of a line whose newline has not arrived yet (at most `maxChunk` bytes
    /// between calls).
    private(set) var pending: [UInt8] = []

    init(maxChunk: Int) {
        precondition(maxChunk > 0, "maxChunk must be positive")
        self.maxChunk = maxChunk
    }

    /// Feeds bytes read from the stream; calls `emit` for each complete line and each full
    /// piece of a long line, in order.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (_ line: [UInt8], _ partial: Bool) -> Void) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            guard let newline = memchr(base + start, 0x0A, bytes.count - start) else {
                pending.append(contentsOf: bytes[start...])
                while pending.count > maxChunk {
                    emit(Array(pending[..<maxChunk]), true)
                    pending.removeFirst(maxChunk)
                }
                return
            }
            let end = UnsafeRawPointer(newline) - base
            let segment = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if pending.isEmpty {
                emitLine(segment, emit)
            } else {
                pending.append(contentsOf: segment)
                emitLine(pending, emit)
                pending.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
    }

    /// At end of stream: emits an unterminated last line, if any.
    mutating func finish(_ emit: (_ line: [UInt8], _ partial: Bool) -> Void) {
        guard !pending.isEmpty else { return }
        emitLine(pending, emit)
        pending.removeAll()
    }

    private func emitLine<Bytes: RandomAccessCollection<UInt8>>(_ line: Bytes, _ emit: (_ line: [UInt8], _ partial: Bool) -> Void) where Bytes.Index == Int {
        var offset = line.startIndex
        while line.endIndex - offset > maxChunk {
            emit(Array(line[offset..<offset + maxChunk]), true)
            offset += maxChunk
        }
        emit(Array(line[offset...]), false)
    }
}
