// swift-protobuf 1.39: the fixture messages and their encode/decode loops. This file
// imports only swift-protobuf's modules, so `Hodei_V1_*` here are SwiftProtobufMessages'.

import Foundation
import SwiftProtobuf
import SwiftProtobufMessages

enum SwiftProtobufSide {
    static var version: String { SwiftProtobuf.Version.versionString }

    static func timestamp(_ t: (seconds: Int64, nanos: Int32)) -> Google_Protobuf_Timestamp {
        var v = Google_Protobuf_Timestamp()
        v.seconds = t.seconds
        v.nanos = t.nanos
        return v
    }

    static func duration(_ t: (seconds: Int64, nanos: Int32)) -> Google_Protobuf_Duration {
        var v = Google_Protobuf_Duration()
        v.seconds = t.seconds
        v.nanos = t.nanos
        return v
    }

    static func logEntry() -> Hodei_V1_LogEntry {
        var m = Hodei_V1_LogEntry()
        m.jobID = Fixture.jobId
        m.attempt = Fixture.logAttempt
        m.sequence = Fixture.logSequence
        m.timestamp = timestamp(Fixture.logTimestamp)
        m.stream = .stdout  // Fixture: LOG_STREAM_STDOUT
        m.line = Data(Fixture.logLine)
        m.partial = Fixture.logPartial
        return m
    }

    static func assignJobRequest() -> Hodei_V1_AssignJobRequest {
        var spec = Hodei_V1_JobSpec()
        spec.argv = Fixture.argv
        spec.env = Dictionary(uniqueKeysWithValues: Fixture.env)
        spec.workingDir = Fixture.workingDir
        spec.timeout = duration(Fixture.timeout)
        var quota = Hodei_V1_ResourceQuota()
        quota.cpuMillicores = Fixture.resources.cpuMillicores
        quota.memoryMb = Fixture.resources.memoryMb
        quota.gpus = Fixture.resources.gpus
        spec.resources = quota
        spec.priority = .high  // Fixture: PRIORITY_HIGH
        spec.requiredLabels = Dictionary(uniqueKeysWithValues: Fixture.requiredLabels)
        spec.maxAttempts = Fixture.maxAttempts
        spec.name = Fixture.jobName
        spec.labels = Dictionary(uniqueKeysWithValues: Fixture.labels)

        var m = Hodei_V1_AssignJobRequest()
        m.jobID = Fixture.jobId
        m.attempt = Fixture.assignAttempt
        m.spec = spec
        return m
    }

    static func jobResult() -> Hodei_V1_JobResult {
        var m = Hodei_V1_JobResult()
        m.jobID = Fixture.jobId
        m.attempt = Fixture.resultAttempt
        m.exitCode = Fixture.exitCode
        m.finalState = .failed  // Fixture: JOB_STATE_FAILED
        m.duration = duration(Fixture.duration)
        m.cpuTime = duration(Fixture.cpuTime)
        m.peakMemoryBytes = Fixture.peakMemoryBytes
        m.errorMessage = Fixture.errorMessage
        m.startedAt = timestamp(Fixture.startedAt)
        m.finishedAt = timestamp(Fixture.finishedAt)
        m.lastLogSequence = Fixture.lastLogSequence
        return m
    }

    static func blob() -> Hodei_Bench_V1_Blob {
        var m = Hodei_Bench_V1_Blob()
        m.data = Data(Fixture.blob)
        return m
    }

    // MARK: Loops (specialised per message type within this module)

    @inline(never)
    static func encodeLoop<M: SwiftProtobuf.Message>(_ message: M, _ n: Int) -> Int {
        var total = 0
        for _ in 0..<n {
            let bytes: [UInt8] = try! message.serializedBytes()
            total &+= bytes.count
            blackHole(bytes)
        }
        return total
    }

    @inline(never)
    static func decodeLoop<M: SwiftProtobuf.Message>(_ type: M.Type, _ bytes: [UInt8], _ n: Int) throws -> Int {
        var total = 0
        for _ in 0..<n {
            let message = try M(serializedBytes: bytes)
            total &+= 1
            blackHole(message)
        }
        return total
    }

    static func makeCase<M: SwiftProtobuf.Message & Equatable>(_ message: M) -> ImplCase {
        ImplCase(
            encoded: try! message.serializedBytes(),
            encode: { n in encodeLoop(message, n) },
            decode: { bytes, n in try decodeLoop(M.self, bytes, n) },
            matches: { bytes in try M(serializedBytes: bytes) == message }
        )
    }

    static func cases() -> [BenchMessage: ImplCase] {
        [
            .logEntry: makeCase(logEntry()),
            .assignJobRequest: makeCase(assignJobRequest()),
            .jobResult: makeCase(jobResult()),
            .blob: makeCase(blob()),
        ]
    }
}
