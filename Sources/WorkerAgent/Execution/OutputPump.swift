import Glibc
import JobAPI
import ProtoRuntime

/// Reads one job's stdout, stderr and progress pipes with poll(2) on the calling thread (a
/// dedicated one, never the cooperative pool) and turns them into LogEntry and JobProgress
/// messages for the sink.
///
/// Log entries of the attempt are numbered from 1, contiguously across both streams and the
/// agent's own SYSTEM lines. The sink may block; the pump then stops reading, and once the
/// pipe buffers are full the job blocks in write. Not thread-safe: one thread owns a pump.
final class OutputPump {
    private enum Source {
        case stdout, stderr, progress
    }

    private let job: JobKey
    private let sink: any JobEventSink
    private let options: JobRunOptions
    private var stdoutLines: LineSplitter
    private var stderrLines: LineSplitter
    private var progressLines = LineSplitter(maxChunk: ProgressParser.maxLineBytes)
    /// Set while skipping the rest of an over-long progress line.
    private var skippingProgressLine = false
    /// The sequence of the last LogEntry emitted (0 before the first).
    private(set) var lastLogSequence: UInt64 = 0

    init(job: JobKey, options: JobRunOptions, sink: any JobEventSink) {
        self.job = job
        self.sink = sink
        self.options = options
        stdoutLines = LineSplitter(maxChunk: max(1, options.maxLogChunkBytes))
        stderrLines = LineSplitter(maxChunk: max(1, options.maxLogChunkBytes))
    }

    /// Pumps until every pipe is at EOF and the main process has exited, or until
    /// `outputDrainTimeout` after the exit. Closes the three output descriptors (not `wake`).
    ///
    /// - Parameters:
    ///   - wake: readable when the main process has exited (its bytes are discarded).
    ///   - beforeFirstEvent: runs once: before the first output is handed on, when the main
    ///     process exits, or at its deadline, whichever comes first (and before `run` returns).
    ///   - exitInstant: when the main process exited, nil while it runs.
    /// - Returns: false when output was still open at the drain deadline.
    func run(stdout: Int32, stderr: Int32, progress: Int32, wake: Int32,
             beforeFirstEvent: (deadline: ContinuousClock.Instant, action: () -> Void)? = nil,
             exitInstant: () -> ContinuousClock.Instant?) -> Bool {
        var sources: [(fd: Int32, source: Source)] = [(stdout, .stdout), (stderr, .stderr), (progress, .progress)]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var descriptors: [pollfd] = []
        var firstEvent = beforeFirstEvent
        defer { firstEvent?.action() }
        while true {
            let exitedAt = exitInstant()
            var timeout: Int32 = -1
            if let exitedAt {
                if sources.isEmpty { return true }
                let remaining = options.outputDrainTimeout - exitedAt.duration(to: .now)
                if remaining <= .zero {
                    for (fd, source) in sources { endOfStream(source, fd: fd) }
                    return false
                }
                timeout = Self.pollTimeout(remaining)
            }
            if let pending = firstEvent {
                let untilDeadline = Self.pollTimeout(ContinuousClock.now.duration(to: pending.deadline))
                timeout = timeout < 0 ? untilDeadline : min(timeout, untilDeadline)
            }
            descriptors.removeAll(keepingCapacity: true)
            for (fd, _) in sources { descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            descriptors.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            // Output, the exit (the wake pipe) or the deadline.
            if let pending = firstEvent, ready > 0 || pending.deadline <= .now {
                pending.action()
                firstEvent = nil
            }
            if ready < 0 && errno != EINTR {
                // Not expected (the descriptors are ours): stop reading, keep waiting for the exit.
                for (fd, source) in sources { endOfStream(source, fd: fd) }
                sources.removeAll()
                usleep(10_000)
                continue
            }
            guard ready > 0 else { continue }
            if descriptors[descriptors.count - 1].revents != 0 { drainWake(wake) }
            var finished: [Int32] = []
            for (index, (fd, source)) in sources.enumerated() where descriptors[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffer.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[0..<count]), from: source) }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    endOfStream(source, fd: fd)
                    finished.append(fd)
                }
            }
            sources.removeAll { finished.contains($0.fd) }
        }
    }

    /// Emits a line written by the agent about the job (LOG_STREAM_SYSTEM).
    func emitSystem(_ text: String) {
        emitLog(Array(text.utf8), stream: .system, partial: false, timestamp: .now)
    }

    private func consume(_ bytes: UnsafeRawBufferPointer, from source: Source) {
        let timestamp = Google_Protobuf_Timestamp.now
        switch source {
        case .stdout:
            stdoutLines.feed(bytes) { line, partial in emitLog(line, stream: .stdout, partial: partial, timestamp: timestamp) }
        case .stderr:
            stderrLines.feed(bytes) { line, partial in emitLog(line, stream: .stderr, partial: partial, timestamp: timestamp) }
        case .progress:
            progressLines.feed(bytes) { line, partial in progressLine(line, partial: partial, timestamp: timestamp) }
        }
    }

    private func endOfStream(_ source: Source, fd: Int32) {
        let timestamp = Google_Protobuf_Timestamp.now
        switch source {
        case .stdout: stdoutLines.finish { line, partial in emitLog(line, stream: .stdout, partial: partial, timestamp: timestamp) }
        case .stderr: stderrLines.finish { line, partial in emitLog(line, stream: .stderr, partial: partial, timestamp: timestamp) }
        case .progress: progressLines.finish { line, partial in progressLine(line, partial: partial, timestamp: timestamp) }
        }
        close(fd)
    }

    private func emitLog(_ line: [UInt8], stream: Hodei_V1_LogStream, partial: Bool, timestamp: Google_Protobuf_Timestamp) {
        lastLogSequence += 1
        var entry = Hodei_V1_LogEntry()
        entry.jobId = job.jobId
        entry.attempt = job.attempt
        entry.sequence = lastLogSequence
        entry.timestamp = timestamp
        entry.stream = stream
        entry.line = line
        entry.partial = partial
        sink.jobOutput(.log(entry), of: job)
    }

    private func progressLine(_ line: [UInt8], partial: Bool, timestamp: Google_Protobuf_Timestamp) {
        if partial {
            skippingProgressLine = true
            return
        }
        if skippingProgressLine {
            skippingProgressLine = false
            return
        }
        guard let progress = ProgressParser.parse(line) else { return }
        var report = Hodei_V1_JobProgress()
        report.jobId = job.jobId
        report.attempt = job.attempt
        report.progress = progress
        report.timestamp = timestamp
        sink.jobOutput(.progress(report), of: job)
    }

    private func drainWake(_ fd: Int32) {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// poll(2)'s timeout for `duration`, in whole milliseconds rounded up; never negative,
    /// which poll would take as "no timeout" (a deadline already past means look and return).
    private static func pollTimeout(_ duration: Duration) -> Int32 {
        Int32(clamping: max(0, Int(duration.inSeconds * 1000) + 1))
    }
}
