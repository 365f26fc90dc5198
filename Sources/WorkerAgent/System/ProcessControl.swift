import Glibc

/// prctl(2), which is variadic in C and so not callable from Swift: it is looked up and
/// called through a fixed-arity pointer (integer and pointer arguments are passed the same
/// way on x86-64 and arm64 Linux).
enum ProcessControl {
    private typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    private static let prctl: Prctl? = dlsym(nil, "prctl").map { unsafeBitCast($0, to: Prctl.self) }

    /// PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented to this process rather
    /// than to PID 1.
    static func becomeChildSubreaper() {
        let prSetChildSubreaper: Int32 = 36
        _ = prctl?(prSetChildSubreaper, 1, 0, 0, 0)
    }

    /// PR_SET_NAME: names the calling thread for the kernel (top -H, perf, /proc), at most 15
    /// bytes. Foundation's `Thread.name` does not reach the kernel on Linux, and a thread
    /// otherwise keeps the name of the one that created it (an event loop's).
    static func nameCurrentThread(_ name: String) {
        let prSetName: Int32 = 15
        let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        short.withCString { _ = prctl?(prSetName, UInt(bitPattern: $0), 0, 0, 0) }
    }
}
