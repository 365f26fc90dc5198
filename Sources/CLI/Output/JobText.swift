import Foundation
import JobAPI

/// Names of the API's enums as the CLI prints them, and command lines shell-quoted.
enum JobText {
    /// "RUNNING", "TIMED_OUT"; the number for values this CLI does not know.
    static func state(_ state: Hodei_V1_JobState) -> String {
        name(state.protoName, prefix: "JOB_STATE_", raw: state.rawValue)
    }

    static func state(_ state: Hodei_V1_WorkerState) -> String {
        name(state.protoName, prefix: "WORKER_STATE_", raw: state.rawValue)
    }

    /// "HIGH", "NORMAL", "LOW"; unset reads as NORMAL, as the server treats it.
    static func priority(_ priority: Hodei_V1_Priority) -> String {
        priority == .unspecified ? "NORMAL" : name(priority.protoName, prefix: "PRIORITY_", raw: priority.rawValue)
    }

    static func stream(_ stream: Hodei_V1_LogStream) -> String {
        name(stream.protoName, prefix: "LOG_STREAM_", raw: stream.rawValue)
    }

    private static func name(_ protoName: String?, prefix: String, raw: Int32) -> String {
        guard let protoName else { return "\(raw)" }
        return protoName.hasPrefix(prefix) ? String(protoName.dropFirst(prefix.count)) : protoName
    }

    /// Whether a job in this state never changes again.
    static func isTerminal(_ state: Hodei_V1_JobState) -> Bool {
        switch state {
        case .succeeded, .failed, .cancelled, .timedOut, .lost: return true
        case .unspecified, .queued, .assigned, .running, .unrecognized: return false
        }
    }

    /// argv as a shell would need it typed: words with only safe characters as they are, the
    /// others in single quotes.
    static func command(_ argv: [String]) -> String {
        argv.map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// "k1=v1,k2=v2" sorted by key; "-" when empty.
    static func labels(_ labels: [String: String]) -> String {
        labels.isEmpty ? "-" : labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// "exit code 3", "signal 9 (SIGKILL)", or nil when the process never ran or has not ended.
    static func termination(_ result: Hodei_V1_JobResult?) -> String? {
        switch result?.termination {
        case .exitCode(let code): return "exit code \(code)"
        case .signal(let signal): return "signal \(signal)" + (signalName(signal).map { " (\($0))" } ?? "")
        case nil: return nil
        }
    }

    static func signalName(_ signal: Int32) -> String? {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
                                      9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 24: "SIGXCPU"]
        return names[signal]
    }
}
