import ArgumentParser
import Foundation
import JobAPI

/// A `key=value` argument (labels, required worker labels, environment variables).
struct KeyValue: ExpressibleByArgument {
    var key: String
    var value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        key = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
    }

    /// Pairs as a dictionary; a repeated key keeps its last value.
    static func dictionary(_ pairs: [KeyValue]) -> [String: String] {
        Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}

/// `--priority high|normal|low`.
enum PriorityArgument: String, ExpressibleByArgument, CaseIterable {
    case high, normal, low

    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    var proto: Hodei_V1_Priority {
        switch self {
        case .high: return .high
        case .normal: return .normal
        case .low: return .low
        }
    }
}

/// `--state` of `list`: a job state in lower case ("timed-out" and "timed_out" both work).
struct JobStateArgument: ExpressibleByArgument {
    static let names: [(String, Hodei_V1_JobState)] = [
        ("queued", .queued), ("assigned", .assigned), ("running", .running), ("succeeded", .succeeded),
        ("failed", .failed), ("cancelled", .cancelled), ("timed-out", .timedOut), ("lost", .lost),
    ]
    var state: Hodei_V1_JobState

    init?(argument: String) {
        let name = argument.lowercased().replacingOccurrences(of: "_", with: "-")
        guard let match = Self.names.first(where: { $0.0 == name || "job-state-" + $0.0 == name }) else { return nil }
        state = match.1
    }

    static var allValueStrings: [String] { names.map(\.0) }
}

/// `--state` of `workers list`.
struct WorkerStateArgument: ExpressibleByArgument {
    static let names: [(String, Hodei_V1_WorkerState)] = [
        ("registering", .registering), ("available", .available), ("running", .running), ("unhealthy", .unhealthy),
        ("draining", .draining), ("terminated", .terminated), ("failed", .failed),
    ]
    var state: Hodei_V1_WorkerState

    init?(argument: String) {
        let name = argument.lowercased()
        guard let match = Self.names.first(where: { $0.0 == name }) else { return nil }
        state = match.1
    }

    static var allValueStrings: [String] { names.map(\.0) }
}

/// `--stream stdout|stderr` of `logs`.
enum LogStreamArgument: String, ExpressibleByArgument, CaseIterable {
    case stdout, stderr

    var proto: Hodei_V1_LogStream { self == .stdout ? .stdout : .stderr }
}
