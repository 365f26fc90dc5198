#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where a ``LineLogHandler`` writes: a file descriptor, one write(2) per line, under a lock
/// so that lines from several threads never interleave. Also formats the time of day once
/// per second for every handler that writes here.
public final class LineOutput: Sendable {
    /// Standard error, as StreamLogHandler.standardError.
    public static let standardError = LineOutput(fileDescriptor: 2)

    private struct Second {
        var second: time_t = -1
        var text = ""
    }

    private let descriptor: Int32
    private let writing = Mutex(())
    private let lastSecond = Mutex(Second())

    /// Writes to `fileDescriptor`, which stays open as long as this output is used.
    public init(fileDescriptor: Int32) {
        descriptor = fileDescriptor
    }

    /// Writes `line` whole (a failed write drops it: logging never stops the program).
    func write(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            writing.withLock { _ in
                var offset = 0
                while offset < bytes.count {
                    let written = unistdWrite(descriptor, base + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }

    /// The local time, as `2026-11-24T08:45:50+0000`.
    func timestamp() -> String {
        let now = time(nil)
        return lastSecond.withLock { cached in
            if cached.second != now { cached = Second(second: now, text: Self.format(now)) }
            return cached.text
        }
    }

    private static func format(_ instant: time_t) -> String {
        var instant = instant
        var local = tm()
        localtime_r(&instant, &local)
        var buffer = [CChar](repeating: 0, count: 40)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// write(2), named apart from `LineOutput.write`.
private func unistdWrite(_ descriptor: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
