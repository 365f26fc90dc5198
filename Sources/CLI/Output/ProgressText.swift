import JobAPI

/// How a job's progress reads: a summary, a bar for terminals, a plain line for logs.
enum ProgressText {
    /// Completion from 0 to 100: `percent` when the job reports it, else completed / total
    /// steps; nil when neither is known (the rule in common.proto).
    static func percent(_ progress: Hodei_V1_Progress) -> Double? {
        if progress.percent > 0 { return min(100, progress.percent) }
        if progress.totalSteps > 0 { return min(100, 100 * Double(progress.completedSteps) / Double(progress.totalSteps)) }
        return nil
    }

    /// "40% step 2/5 (1 failed) validate-user: Extracting sections", leaving out what is unknown.
    static func summary(_ progress: Hodei_V1_Progress) -> String {
        var parts: [String] = []
        if let percent = percent(progress) { parts.append(Quantities.formatPercent(percent)) }
        if progress.totalSteps > 0 {
            parts.append("step \(progress.completedSteps)/\(progress.totalSteps)")
        } else if progress.completedSteps > 0 {
            parts.append("step \(progress.completedSteps)")
        }
        if progress.failedSteps > 0 { parts.append("(\(progress.failedSteps) failed)") }
        if !progress.currentStep.isEmpty && progress.currentStep != progress.message { parts.append(progress.currentStep) }
        var text = parts.joined(separator: " ")
        if !progress.message.isEmpty { text += text.isEmpty ? progress.message : ": " + progress.message }
        if let remaining = progress.estimatedRemaining { text += " (\(DurationText.format(remaining)) left)" }
        return Table.sanitize(text)
    }

    /// The plain line written when standard error is not a terminal: "progress 40% step 2/5: msg".
    static func plainLine(_ progress: Hodei_V1_Progress) -> String {
        let summary = summary(progress)
        return summary.isEmpty ? "progress" : "progress " + summary
    }

    /// A one-line bar that fits in `width` columns: "[#######-------------] 40% step 2/5: msg".
    /// An unknown percentage shows an empty bar.
    static func bar(_ progress: Hodei_V1_Progress, width: Int) -> String {
        let barWidth = max(10, min(30, width / 3))
        let filled = Int((percent(progress) ?? 0) / 100 * Double(barWidth))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
        let summary = summary(progress)
        return Table.cut(summary.isEmpty ? bar : bar + " " + summary, to: max(barWidth + 2, width - 1))
    }
}
