import NIOCore

extension NIOLoopBound {
    /// Runs `body` with the value on its event loop. Handlers started with the loop's task
    /// executor are already there; other tasks run `body` with that executor preferred, so
    /// it and everything it awaits stay on the loop.
    func onLoop<T: Sendable>(_ body: @escaping @Sendable (Value) async throws -> T) async throws -> T {
        if eventLoop.inEventLoop { return try await body(value) }
        let box = self
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(loop: eventLoop)) {
            try await body(box.value)
        }
    }

    /// Runs `body` with the value now when on its event loop, else as a task of that loop
    /// (without waiting for it).
    func executeOnLoop(_ body: @escaping @Sendable (Value) -> Void) {
        if eventLoop.inEventLoop { return body(value) }
        let box = self
        eventLoop.execute { body(box.value) }
    }

    func onLoop(_ body: @escaping @Sendable (Value) -> Void) async {
        if eventLoop.inEventLoop { return body(value) }
        let box = self
        await withTaskExecutorPreference(EventLoopTaskExecutor(loop: eventLoop)) {
            body(box.value)
        }
    }
}
