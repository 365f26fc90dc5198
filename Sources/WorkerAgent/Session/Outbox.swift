import Foundation
import JobAPI
import Logging
import ProtoRuntime

/// The agent's resend buffer: every sequenced WorkerMessage (accepted, rejected, log,
/// progress, result, drain) from the moment it is produced until the server acknowledges it.
///
///     append ──► pending: memory ─► spool file ─► memory tail ──takeSendable──► in flight ──acknowledge──► freed
///                   ▲                                                              │
///                   └──────────── resume(afterServerReceived:) after a reconnect ───┘
///
/// Sequence numbers are given when a message first goes out (`takeSendable`), from 1,
/// contiguous within the agent's session. After a reconnect, the in-flight messages the
/// server has not processed go back to the front of the pending queue and are numbered again
/// from `last_received_sequence + 1`, in the same order, so they keep their numbers (unless
/// some were dropped for orphaned jobs: dropping renumbers what follows, which the server
/// has never processed, so the numbers it sees stay contiguous).
///
/// Bounds: at most `window` messages in flight (WorkerSettings.max_unacked_messages); at most
/// `memoryMessages` pending in memory, then up to `spoolBytes` in an unlinked file under
/// `spoolDirectory`; beyond that (or with no spool), `appendOutput` blocks its caller (a
/// job's output thread, which then stops reading the job's pipes). Control messages
/// (`appendControl`: acceptances, rejections, results, drain notices; a few per job) never
/// block and may go past the bounds.
///
/// Thread-safe. Producers are threads; the stream writer is a task woken through `changes`.
final class Outbox: @unchecked Sendable {
    struct Limits: Sendable {
        /// Messages sent and not yet acknowledged (0 in WorkerSettings means this default).
        var window = 1024
        var memoryMessages = 8192
        var spoolBytes = 512 << 20
        /// Where the spool file goes; nil for no spooling (backpressure only).
        var spoolDirectory: String?

        init(window: Int = 1024, memoryMessages: Int = 8192, spoolBytes: Int = 512 << 20, spoolDirectory: String? = nil) {
            self.window = window
            self.memoryMessages = memoryMessages
            self.spoolBytes = spoolBytes
            self.spoolDirectory = spoolDirectory
        }
    }

    private struct Entry {
        var message: Hodei_V1_WorkerMessage
        let job: JobKey?
        let isResult: Bool
        var sentAt: ContinuousClock.Instant?

        init(_ message: Hodei_V1_WorkerMessage) {
            self.message = message
            job = message.kind?.jobKey
            isResult = message.kind?.isResult ?? false
        }
    }

    /// Signalled whenever there may be something new to send (not on acknowledgements: see
    /// ``acknowledge(_:)``).
    let changes = WakeSignal()

    private let condition = NSCondition()
    private let logger: Logger
    // Everything below is guarded by `condition`.
    private var limits: Limits
    private var head = FIFOQueue<Entry>()
    private var spool: OutboxSpool?
    private var spoolFailed = false
    private var tail = FIFOQueue<Entry>()
    private var inFlight = FIFOQueue<Entry>()
    private var nextSequence: UInt64 = 1
    private var acknowledged: UInt64 = 0
    private var dropped: Set<JobKey> = []
    private var resultCounts: [JobKey: Int] = [:]

    init(limits: Limits = Limits(), logger: Logger = Logger(label: "hodei.agent.outbox")) {
        self.limits = limits
        self.logger = logger
    }

    // MARK: Producers

    /// Buffers a job's log line or progress report; blocks while the buffers are full.
    /// Returns at once, discarding the message, if the job's messages are being dropped.
    func appendOutput(_ kind: Hodei_V1_WorkerMessage.Kind, of job: JobKey) {
        var message = Hodei_V1_WorkerMessage()
        message.kind = kind
        let entry = Entry(message)
        condition.lock()
        while !dropped.contains(job) {
            if enqueue(entry, control: false) { break }
            condition.wait()
        }
        condition.unlock()
        changes.signal()
    }

    /// Buffers a control message (acceptance, rejection, result, drain notice); never blocks.
    func appendControl(_ kind: Hodei_V1_WorkerMessage.Kind) {
        var message = Hodei_V1_WorkerMessage()
        message.kind = kind
        let entry = Entry(message)
        condition.lock()
        if let job = entry.job, dropped.contains(job) {
            condition.unlock()
            return
        }
        if entry.isResult, let job = entry.job { resultCounts[job, default: 0] += 1 }
        _ = enqueue(entry, control: true)
        condition.unlock()
        changes.signal()
    }

    // MARK: The stream writer

    /// Up to `maximum` messages to send now, numbered, and marked in flight; empty when
    /// nothing is pending or the window is full.
    func takeSendable(maximum: Int) -> [Hodei_V1_WorkerMessage] {
        condition.lock()
        defer { condition.unlock() }
        var batch: [Hodei_V1_WorkerMessage] = []
        let now = ContinuousClock.now
        while batch.count < maximum && inFlight.count < limits.window {
            if head.isEmpty { refill() }
            guard var entry = head.popFirst() else { break }
            entry.message.sequence = nextSequence
            nextSequence += 1
            entry.sentAt = now
            inFlight.append(entry)
            batch.append(entry.message)
        }
        if !batch.isEmpty {
            refill()
            condition.broadcast()
        }
        return batch
    }

    /// The server has durably processed every message up to `sequence` (cumulative).
    ///
    /// Does not signal `changes`: acknowledgements arrive about as often as messages go out,
    /// and waking the writer for each would cost a task switch per message for nothing.
    ///
    /// - Returns: true when the window was full and this made room (the writer may have
    ///   messages waiting that it can now send).
    @discardableResult
    func acknowledge(_ sequence: UInt64) -> Bool {
        condition.lock()
        let windowWasFull = inFlight.count >= limits.window
        let before = inFlight.count
        acknowledgeLocked(min(sequence, nextSequence - 1))
        let madeRoom = windowWasFull && inFlight.count < before
        condition.unlock()
        return madeRoom
    }

    /// After a reconnect: frees what the server already has (`last_received_sequence`) and
    /// queues the rest of the in-flight messages to be sent again, first, in order.
    func resume(afterServerReceived lastReceived: UInt64) {
        condition.lock()
        if lastReceived < acknowledged {
            logger.warning("the server reports fewer processed messages than it acknowledged", metadata: [
                "last_received_sequence": "\(lastReceived)", "acknowledged": "\(acknowledged)",
            ])
        }
        acknowledgeLocked(lastReceived)
        var resend = inFlight.takeAll().filter { entry in entry.job.map { !dropped.contains($0) } ?? true }
        for index in resend.indices {
            resend[index].message.sequence = 0
            resend[index].sentAt = nil
        }
        head.prepend(contentsOf: resend)
        nextSequence = max(lastReceived, acknowledged) + 1
        condition.broadcast()
        condition.unlock()
        changes.signal()
    }

    /// Discards every buffered and future message of these attempts (orphaned jobs), except
    /// what is already in flight on the current stream.
    func drop(_ jobs: [JobKey]) {
        guard !jobs.isEmpty else { return }
        condition.lock()
        dropped.formUnion(jobs)
        head.removeAll { $0.job.map(dropped.contains) ?? false }
        tail.removeAll { $0.job.map(dropped.contains) ?? false }
        for job in jobs { resultCounts[job] = nil }
        condition.broadcast()
        condition.unlock()
        changes.signal()
    }

    /// Applies WorkerSettings.max_unacked_messages (0: keep the current window).
    func setWindow(_ window: Int) {
        guard window > 0 else { return }
        condition.lock()
        limits.window = window
        condition.broadcast()
        condition.unlock()
        changes.signal()
    }

    // MARK: State for attach requests, heartbeats and the drain

    /// Highest sequence acknowledged by the server in this session (0 if none).
    var lastAcknowledged: UInt64 { locked { acknowledged } }

    /// True when nothing is pending or in flight: every message was acknowledged.
    var isSettled: Bool {
        locked { head.isEmpty && tail.isEmpty && (spool?.isEmpty ?? true) && inFlight.isEmpty }
    }

    /// Attempts whose result is buffered and not yet acknowledged.
    var pendingResultJobs: [JobKey] { locked { Array(resultCounts.keys) } }

    /// When the oldest unacknowledged message was sent, if any is in flight.
    var oldestInFlightSentAt: ContinuousClock.Instant? { locked { inFlight.first?.sentAt } }

    /// Counts for logs and tests.
    var counts: (pending: Int, spooled: Int, inFlight: Int) {
        locked { (head.count + tail.count, spool?.count ?? 0, inFlight.count) }
    }

    // MARK: Internals (called with the lock held)

    /// Puts an entry at the end of the pending queue; false when an output entry must wait.
    private func enqueue(_ entry: Entry, control: Bool) -> Bool {
        let spoolEmpty = spool?.isEmpty ?? true
        if tail.isEmpty && spoolEmpty && (control || head.count < limits.memoryMessages) {
            head.append(entry)
            return true
        }
        if tail.isEmpty, let spool = usableSpool(), control || spool.bytes < limits.spoolBytes {
            do {
                try spool.append(entry.message.serializedBytes())
                return true
            } catch {
                logger.error("the outbox spool failed; buffering in memory only", metadata: ["error": "\(error)"])
                spoolFailed = true
            }
        }
        if control {
            tail.append(entry)
            return true
        }
        return false
    }

    private func usableSpool() -> OutboxSpool? {
        if let spool, !spoolFailed { return spool }
        guard !spoolFailed, let directory = limits.spoolDirectory else { return nil }
        do {
            let created = try OutboxSpool(directory: directory)
            spool = created
            logger.notice("the outbox spills to disk", metadata: ["directory": "\(directory)"])
            return created
        } catch {
            logger.error("no outbox spool; buffering in memory only", metadata: ["error": "\(error)"])
            spoolFailed = true
            return nil
        }
    }

    /// Moves spooled entries into memory while there is room, then the tail once the spool
    /// is empty, skipping dropped jobs.
    private func refill() {
        if let spool {
            while head.count < limits.memoryMessages && !spool.isEmpty {
                do {
                    guard let bytes = try spool.readNext() else { break }
                    let entry = Entry(try Hodei_V1_WorkerMessage(serializedBytes: bytes))
                    if let job = entry.job, dropped.contains(job) { continue }
                    head.append(entry)
                } catch {
                    logger.error("the outbox spool could not be read back; its remaining messages are lost", metadata: ["error": "\(error)"])
                    self.spool = nil
                    spoolFailed = true
                    break
                }
            }
        }
        if (spool?.isEmpty ?? true) && !tail.isEmpty {
            for entry in tail.takeAll() { head.append(entry) }
        }
    }

    private func acknowledgeLocked(_ sequence: UInt64) {
        guard sequence > acknowledged else { return }
        acknowledged = sequence
        while let first = inFlight.first, first.message.sequence <= sequence {
            _ = inFlight.popFirst()
            if first.isResult, let job = first.job, let count = resultCounts[job] {
                resultCounts[job] = count > 1 ? count - 1 : nil
            }
        }
        condition.broadcast()
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
