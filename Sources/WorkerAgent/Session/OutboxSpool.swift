import Glibc

/// The outbox's overflow on disk: a FIFO of length-prefixed records in an unlinked temporary
/// file (it vanishes with the agent; sequences are scoped to the agent's session anyway, so
/// a restarted agent could not resend them).
///
/// Not thread-safe: the outbox calls it under its lock.
final class OutboxSpool {
    /// A read or write failed; the spool should not be used any more.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let fd: Int32
    private var readOffset: Int64 = 0
    private var writeOffset: Int64 = 0
    /// Records written and not yet read.
    private(set) var count = 0

    /// Bytes written and not yet read.
    var bytes: Int { Int(writeOffset - readOffset) }
    var isEmpty: Bool { count == 0 }

    /// Creates the file in `directory` and unlinks it at once.
    init(directory: String) throws(Failure) {
        var template = Array("\(directory)/hodei-agent-spool-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(description: "cannot create a spool file in \(directory): \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Appends one record.
    func append(_ record: [UInt8]) throws(Failure) {
        let length = UInt32(record.count)
        var frame = [UInt8](repeating: 0, count: 4)
        for index in 0..<4 { frame[index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
        frame += record
        try writeFully(frame, at: writeOffset)
        writeOffset += Int64(frame.count)
        count += 1
    }

    /// Removes and returns the oldest record; nil when empty. Truncates the file when it has
    /// been read to the end.
    func readNext() throws(Failure) -> [UInt8]? {
        guard count > 0 else { return nil }
        let header = try readFully(4, at: readOffset)
        let length = header.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let record = try readFully(length, at: readOffset + 4)
        readOffset += Int64(4 + length)
        count -= 1
        if count == 0 {
            readOffset = 0
            writeOffset = 0
            _ = ftruncate(fd, 0)
        }
        return record
    }

    private func writeFully(_ bytes: [UInt8], at offset: Int64) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(offset) + off_t(done)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw Failure(description: "spool write failed: \(String(cString: strerror(errno)))") }
            done += written
        }
    }

    private func readFully(_ length: Int, at offset: Int64) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, length - done, off_t(offset) + off_t(done)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw Failure(description: "spool read failed: \(count == 0 ? "unexpected end of file" : String(cString: strerror(errno)))") }
            done += count
        }
        return buffer
    }
}
