import Foundation
import JobAPI
@testable import WorkerAgent

/// Collects what a job reports. With `capacity`, `jobOutput` blocks while that many
/// messages are unconsumed (see `consume`), like an outbox that is full.
final class RecordingSink: JobEventSink, @unchecked Sendable {
    private let condition = NSCondition()
    private var messages: [Hodei_V1_WorkerMessage.Kind] = []
    private var finished: Hodei_V1_JobResult?
    private var consumed = 0
    private let capacity: Int?

    init(capacity: Int? = nil) {
        self.capacity = capacity
    }

    func jobOutput(_ message: Hodei_V1_WorkerMessage.Kind, of job: JobKey) {
        condition.lock()
        while let capacity, messages.count - consumed >= capacity { condition.wait() }
        messages.append(message)
        condition.broadcast()
        condition.unlock()
    }

    func jobFinished(_ result: Hodei_V1_JobResult, of job: JobKey) {
        condition.lock()
        finished = result
        condition.broadcast()
        condition.unlock()
    }

    /// Lets `count` more messages in (with a capacity).
    func consume(_ count: Int) {
        condition.lock()
        consumed += count
        condition.broadcast()
        condition.unlock()
    }

    var logs: [Hodei_V1_LogEntry] {
        snapshot.compactMap { if case .log(let entry) = $0 { entry } else { nil } }
    }

    var progress: [Hodei_V1_Progress] {
        snapshot.compactMap { if case .progress(let report) = $0 { report.progress } else { nil } }
    }

    var count: Int { snapshot.count }

    var snapshot: [Hodei_V1_WorkerMessage.Kind] {
        condition.lock()
        defer { condition.unlock() }
        return messages
    }

    /// Waits (at most `timeout`) until `predicate` holds for the messages so far.
    func waitUntil(timeout: TimeInterval = 10, _ predicate: ([Hodei_V1_WorkerMessage.Kind]) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(messages) {
            if !condition.wait(until: deadline) { return predicate(messages) }
        }
        return true
    }
}

extension Hodei_V1_LogEntry {
    var text: String { String(decoding: line, as: UTF8.self) }
}

/// A value shared between a test and the tasks or threads it starts.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) {
        stored = value
    }

    var value: Value {
        get {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
        set {
            lock.lock()
            stored = newValue
            lock.unlock()
        }
    }
}
