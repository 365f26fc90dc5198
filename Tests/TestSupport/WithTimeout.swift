/// Raised by `withTimeout` when the body did not finish in time.
public struct TestTimeout: Error, CustomStringConvertible {
    public let description: String
}

/// Runs `body`, failing with `TestTimeout` after `timeout` (the body is cancelled).
public func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TestTimeout(description: "test timed out after \(timeout)")
        }
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}
