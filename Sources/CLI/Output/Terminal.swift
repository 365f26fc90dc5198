import Glibc
import Synchronization

/// The process's standard output and error, as the commands write to them.
///
/// Standard output is buffered here and written out by ``flush()`` (callers flush after each
/// live event and before exiting), so that a long log costs few system calls; standard error
/// is written at once. Job output goes out as raw bytes: it need not be UTF-8.
final class Terminal: Sendable {
    static let shared = Terminal()

    /// Whether standard error is a terminal (progress bars are drawn only then).
    let stderrIsTTY: Bool
    /// Whether standard output is a terminal (tables are cut to its width only then).
    let stdoutIsTTY: Bool
    private let pending = Mutex<[UInt8]>([])
    private static let flushThreshold = 64 * 1024

    init() {
        stderrIsTTY = isatty(STDERR_FILENO) == 1
        stdoutIsTTY = isatty(STDOUT_FILENO) == 1
    }

    /// Appends bytes to standard output.
    func out(_ bytes: some Sequence<UInt8>) {
        let full = pending.withLock { buffer -> [UInt8]? in
            buffer.append(contentsOf: bytes)
            guard buffer.count >= Self.flushThreshold else { return nil }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if let full { Self.writeAll(full, to: STDOUT_FILENO) }
    }

    /// Appends a line of text (a newline is added) to standard output.
    func outLine(_ text: String) {
        out(Array(text.utf8) + [0x0A])
    }

    /// Writes bytes to standard error at once, after what is pending on standard output.
    func err(_ bytes: some Sequence<UInt8>) {
        flush()
        Self.writeAll(Array(bytes), to: STDERR_FILENO)
    }

    /// Writes a line of text (a newline is added) to standard error.
    func errLine(_ text: String) {
        err(Array(text.utf8) + [0x0A])
    }

    /// Writes out what is pending on standard output.
    func flush() {
        let bytes = pending.withLock { buffer -> [UInt8] in
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if !bytes.isEmpty { Self.writeAll(bytes, to: STDOUT_FILENO) }
    }

    /// Columns of the terminal on standard error (for progress bars) or output (for tables);
    /// `COLUMNS` or 80 when the size cannot be read.
    func width(ofStandardError: Bool = false) -> Int {
        var size = winsize()
        let descriptor = ofStandardError ? STDERR_FILENO : STDOUT_FILENO
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 0 { return columns }
        return 80
    }

    /// Writes every byte, retrying on interruption and short writes; gives up silently when the
    /// reader has gone (a closed pipe), as there is no one left to tell.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
