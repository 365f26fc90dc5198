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
    /// Runs `body` on a new detached thread.
    static func start(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(ThreadContext(body: body)).toOpaque()
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
    let body: @Sendable () -> Void

    init(body: @escaping @Sendable () -> Void) {
        self.body = body
    }

    func run() { body() }
}
