import JobAPI

/// What a followed job shows while it runs: its log lines on our standard output and error,
/// its progress, and notices.
///
/// Job stdout goes to standard output and job stderr to standard error, byte for byte, with a
/// newline after each entry that is not `partial`. Agent and server lines (the system stream)
/// go to standard error after "hodei: ". Progress is a bar redrawn in place when standard
/// error is a terminal (cleared before any other output and drawn again after it), else an
/// occasional plain line ("progress 40% step 2/5: msg").
final class LiveOutput {
    private let terminal: Terminal
    private let showProgress: Bool
    private let json: Bool
    private let streams: Set<Hodei_V1_LogStream>?
    private let attempt: UInt32?
    private var barText: String?
    private var openPartials: Set<Hodei_V1_LogStream> = []
    private var currentAttempt: UInt32 = 0
    private var lastPlain: (key: PlainKey, message: String, at: ContinuousClock.Instant)?
    /// The least time between two plain progress lines that differ only in their message.
    static let plainMessageInterval: Duration = .seconds(5)

    /// - Parameters:
    ///   - showProgress: draw progress (submit --follow) or not (logs -f).
    ///   - json: write log entries as JSON Lines on standard output instead of their bytes.
    ///   - streams: only entries of these streams (nil: all).
    ///   - attempt: only entries of this attempt (nil: all).
    init(terminal: Terminal = .shared, showProgress: Bool, json: Bool = false,
         streams: Set<Hodei_V1_LogStream>? = nil, attempt: UInt32? = nil) {
        self.terminal = terminal
        self.showProgress = showProgress
        self.json = json
        self.streams = streams
        self.attempt = attempt
    }

    /// Shows one entry of the job's log.
    func log(_ entry: Hodei_V1_LogEntry) throws {
        if let streams, !streams.contains(entry.stream) { return }
        if let attempt, entry.attempt != attempt { return }
        if entry.attempt != currentAttempt {
            closePartialLines()
            currentAttempt = entry.attempt
        }
        if json {
            terminal.outLine(try JSONOutput.line(entry))
            terminal.flush()
            return
        }
        let ending: [UInt8] = entry.partial ? [] : [0x0A]
        if entry.partial { openPartials.insert(entry.stream) } else { openPartials.remove(entry.stream) }
        clearBar()
        switch entry.stream {
        case .stdout:
            terminal.out(entry.line + ending)
            terminal.flush()
        case .stderr:
            terminal.err(entry.line + ending)
        case .system, .unspecified, .unrecognized:
            terminal.err(Array("hodei: ".utf8) + entry.line + [0x0A])
        }
        drawBar()
    }

    /// Shows the job's latest progress.
    func progress(_ progress: Hodei_V1_Progress) {
        guard showProgress else { return }
        if terminal.stderrIsTTY {
            barText = ProgressText.bar(progress, width: terminal.width(ofStandardError: true))
            drawBar()
            return
        }
        let key = PlainKey(progress)
        let now = ContinuousClock.now
        if let last = lastPlain, last.key == key,
           last.message == progress.message || now - last.at < Self.plainMessageInterval {
            return
        }
        lastPlain = (key, progress.message, now)
        terminal.errLine(ProgressText.plainLine(progress))
    }

    /// A line about the job or the connection on standard error, after "hodei: ".
    func notice(_ text: String) {
        clearBar()
        terminal.errLine("hodei: " + text)
        drawBar()
    }

    /// Removes the bar and ends any unfinished line; call once the job has ended.
    func finish() {
        clearBar()
        barText = nil
        closePartialLines()
        terminal.flush()
    }

    private func closePartialLines() {
        for stream in openPartials {
            if stream == .stdout { terminal.out([0x0A]) } else { terminal.err([0x0A]) }
        }
        openPartials.removeAll()
        terminal.flush()
    }

    private func clearBar() {
        if barText != nil { terminal.err(Array("\r\u{1B}[2K".utf8)) }
    }

    /// Draws the bar, unless a partial line is waiting for its end on the same screen line.
    private func drawBar() {
        if let barText, openPartials.isEmpty { terminal.err(Array("\r\u{1B}[2K\(barText)".utf8)) }
    }

    /// What makes a plain progress line worth printing at once: a new tenth of the way, a new
    /// step count or a new step.
    private struct PlainKey: Equatable {
        var tenth: Int
        var completed: UInt32
        var total: UInt32
        var failed: UInt32
        var step: String

        init(_ progress: Hodei_V1_Progress) {
            tenth = ProgressText.percent(progress).map { Int($0 / 10) } ?? -1
            completed = progress.completedSteps
            total = progress.totalSteps
            failed = progress.failedSteps
            step = progress.currentStep
        }
    }
}
