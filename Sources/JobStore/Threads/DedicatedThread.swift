#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts detached OS threads for work that blocks (SQLite calls), so that it never runs on
/// the Swift concurrency cooperative pool. Completion is signalled by the work itself (the
/// store resumes continuations), so the threads are detached rather than joined.
enum DedicatedThread {
    /// Runs `body` on a new detached thread called `name` (at most 15 bytes on Linux), so that
    /// `top -H`, perf and /proc tell the store's threads apart; unnamed, they would inherit the
    /// name of whichever concurrency-pool thread created them.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(ThreadContext(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let result = pthread_create(&thread, &attributes, { raw in
            #if canImport(Darwin)
            let context = Unmanaged<ThreadContext>.fromOpaque(raw).takeRetainedValue()
            #else
            let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
            #endif
            context.run()
            return nil
        }, context)
        precondition(result == 0, "pthread_create failed: \(result)")
    }
}

private final class ThreadContext: Sendable {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    func run() {
        nameCurrentThread()
        body()
    }

    private func nameCurrentThread() {
        let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        #if canImport(Darwin)
        _ = pthread_setname_np(short)
        #else
        // Glibc's module does not export pthread_setname_np (a GNU extension); the kernel
        // takes the same name through this file.
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        _ = short.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        #endif
    }
}
