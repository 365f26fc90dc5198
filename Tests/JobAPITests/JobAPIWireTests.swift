import Foundation
import JobAPI
import ProtoRuntime
import RPCCore
import XCTest

/// The generated Hodei API on the wire: exact bytes, the stream envelopes, JSON names,
/// and the method descriptors the transport routes by.
final class JobAPIWireTests: XCTestCase {
    func testLogEntryEncodesFieldsInNumberOrderWithExactBytes() throws {
        var entry = Hodei_V1_LogEntry()
        entry.jobId = "j1"
        entry.attempt = 2
        entry.sequence = 300
        entry.stream = .stderr
        entry.line = [0x00, 0xFF]
        entry.partial = true
        let expected: [UInt8] = [
            0x0A, 0x02, 0x6A, 0x31, // 1: "j1"
            0x10, 0x02, // 2: 2
            0x18, 0xAC, 0x02, // 3: 300
            0x28, 0x02, // 5: LOG_STREAM_STDERR
            0x32, 0x02, 0x00, 0xFF, // 6: bytes, not UTF-8
            0x38, 0x01, // 7: true
        ]
        XCTAssertEqual(entry.serializedBytes(), expected)
        XCTAssertEqual(try Hodei_V1_LogEntry(serializedBytes: expected), entry)
    }

    func testWorkerMessageEnvelopeRoundTripsEveryKind() throws {
        var log = Hodei_V1_LogEntry()
        log.jobId = "job"
        var result = Hodei_V1_JobResult()
        result.jobId = "job"
        result.finalState = .succeeded
        let kinds: [Hodei_V1_WorkerMessage.Kind] = [.log(log), .result(result), .heartbeat(Hodei_V1_Heartbeat()), .attach(Hodei_V1_AttachRequest())]
        for (index, kind) in kinds.enumerated() {
            var message = Hodei_V1_WorkerMessage()
            message.sequence = UInt64(index + 1)
            message.kind = kind
            let decoded = try Hodei_V1_WorkerMessage(serializedBytes: message.serializedBytes())
            XCTAssertEqual(decoded, message)
            XCTAssertEqual(decoded.kind, kind)
        }
    }

    func testEmptyOneofMemberIsStillPresent() throws {
        var message = Hodei_V1_WorkerMessage()
        message.kind = .heartbeat(Hodei_V1_Heartbeat())
        // An empty member still costs its key and a zero length, so the receiver knows which one.
        XCTAssertEqual(message.serializedBytes().count, 2)
        XCTAssertEqual(try Hodei_V1_WorkerMessage(serializedBytes: message.serializedBytes()).kind, .heartbeat(Hodei_V1_Heartbeat()))
    }

    func testJobSpecJSONUsesProto3Names() throws {
        var spec = Hodei_V1_JobSpec()
        spec.argv = ["echo", "hello"]
        spec.env = ["A": "1"]
        spec.workingDir = "/tmp"
        spec.priority = .high
        spec.maxAttempts = 3
        var timeout = Google_Protobuf_Duration()
        timeout.seconds = 90
        spec.timeout = timeout
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(spec)) as? [String: Any])
        XCTAssertEqual(object["workingDir"] as? String, "/tmp")
        XCTAssertEqual(object["priority"] as? String, "PRIORITY_HIGH")
        XCTAssertEqual(object["timeout"] as? String, "90s")
        XCTAssertEqual(object["maxAttempts"] as? Int, 3)
        XCTAssertNil(object["name"], "defaults are omitted")

        let fromProtoNames = #"{"argv":["echo","hello"],"env":{"A":"1"},"working_dir":"/tmp","priority":"PRIORITY_HIGH","max_attempts":3,"timeout":"90s"}"#
        XCTAssertEqual(try JSONDecoder().decode(Hodei_V1_JobSpec.self, from: Data(fromProtoNames.utf8)), spec)
    }

    func testUnknownJSONFieldIsRejected() {
        XCTAssertThrowsError(try JSONDecoder().decode(Hodei_V1_JobSpec.self, from: Data(#"{"argvv":[]}"#.utf8)))
    }

    func testServiceDescriptorsMatchTheProtos() {
        XCTAssertEqual(Hodei_V1_JobService.Method.SubmitJob.descriptor.path, "/hodei.v1.JobService/SubmitJob")
        XCTAssertEqual(Hodei_V1_JobService.Method.WatchJob.descriptor.kind, .serverStreaming)
        XCTAssertEqual(Hodei_V1_WorkerService.Method.JobStream.descriptor.kind, .bidirectionalStreaming)
        XCTAssertEqual(Hodei_V1_WorkerService.descriptor.methods.map(\.method), ["RegisterWorker", "Heartbeat", "JobStream", "GetWorkerStatus", "AssignJob", "ListWorkers", "DrainWorker"])
        XCTAssertEqual(Grpc_Health_V1_Health.Method.Watch.descriptor.path, "/grpc.health.v1.Health/Watch")
    }

    func testUnrecognizedEnumNumberSurvivesARoundTrip() throws {
        let bytes: [UInt8] = [0x28, 0x63] // LogEntry.stream = 99
        let entry = try Hodei_V1_LogEntry(serializedBytes: bytes)
        XCTAssertEqual(entry.stream, .unrecognized(99))
        XCTAssertEqual(entry.serializedBytes(), bytes)
    }
}
