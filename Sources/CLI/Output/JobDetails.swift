import Foundation
import JobAPI

/// The readable block `hodei get` prints for a job.
enum JobDetails {
    static func render(_ job: Hodei_V1_Job, now: Date = Date()) -> String {
        let spec = job.spec ?? Hodei_V1_JobSpec()
        var block = DetailBlock()
        block.add("ID", job.id)
        block.add("Name", spec.name)
        var state = JobText.state(job.state)
        if job.attempt > 0 {
            state += spec.maxAttempts > 0 ? " (attempt \(job.attempt) of \(spec.maxAttempts))" : " (attempt \(job.attempt))"
        }
        block.add("State", state)
        block.add("Message", job.stateMessage)
        block.add("Priority", JobText.priority(spec.priority))
        block.add("Worker", job.workerId)
        block.add("Command", JobText.command(spec.argv))
        block.add("Workdir", spec.workingDir)
        block.add("Resources", resources(spec.resources))
        block.add("Timeout", spec.timeout.map(DurationText.format))
        block.add("Labels", spec.labels.isEmpty ? nil : JobText.labels(spec.labels))
        block.add("Requires", spec.requiredLabels.isEmpty ? nil : JobText.labels(spec.requiredLabels))
        block.add("Env", spec.env.isEmpty ? nil : spec.env.keys.sorted().joined(separator: ","))
        if let progress = job.progress {
            block.add("Progress", progressLine(progress))
            block.add("Status", progress.message)
            if !progress.details.isEmpty { block.add("Details", JobText.labels(progress.details)) }
        }
        block.add("Created", time: job.createdAt, now: now)
        block.add("Queued", time: job.queuedAt, now: now)
        block.add("Assigned", time: job.assignedAt, now: now)
        block.add("Started", time: job.startedAt, now: now)
        block.add("Finished", time: job.finishedAt, now: now)
        if let result = job.result {
            block.add("Exit", JobText.termination(result))
            block.add("Error", result.errorMessage)
            block.add("Duration", result.duration.map(DurationText.format))
            block.add("CPU time", result.cpuTime.map(DurationText.format))
            if result.peakMemoryBytes > 0 { block.add("Peak RSS", Quantities.formatMegabytes(result.peakMemoryBytes >> 20)) }
        }
        return block.render()
    }

    /// "40%, 2/5 steps done (1 failed), current step validate-user, 3m left".
    static func progressLine(_ progress: Hodei_V1_Progress) -> String {
        var parts: [String] = []
        if let percent = ProgressText.percent(progress) { parts.append(Quantities.formatPercent(percent)) }
        if progress.totalSteps > 0 || progress.completedSteps > 0 {
            let total = progress.totalSteps > 0 ? "/\(progress.totalSteps)" : ""
            let failed = progress.failedSteps > 0 ? " (\(progress.failedSteps) failed)" : ""
            parts.append("\(progress.completedSteps)\(total) steps done\(failed)")
        }
        if !progress.currentStep.isEmpty { parts.append("current step \(progress.currentStep)") }
        if let remaining = progress.estimatedRemaining { parts.append("\(DurationText.format(remaining)) left") }
        return parts.joined(separator: ", ")
    }

    /// "cpu 500m, memory 256M, 1 gpu"; nil when nothing was requested.
    static func resources(_ quota: Hodei_V1_ResourceQuota?) -> String? {
        guard let quota else { return nil }
        var parts: [String] = []
        if quota.cpuMillicores > 0 { parts.append("cpu \(Quantities.formatMillicores(quota.cpuMillicores))") }
        if quota.memoryMb > 0 { parts.append("memory \(Quantities.formatMegabytes(UInt64(quota.memoryMb)))") }
        if quota.gpus > 0 { parts.append(quota.gpus == 1 ? "1 gpu" : "\(quota.gpus) gpus") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
