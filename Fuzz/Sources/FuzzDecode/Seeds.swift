// The seed corpus of fuzz-decode, written from real messages so that it stays valid when
// the schema changes: `FUZZ_DECODE_WRITE_SEEDS=<dir> fuzz-decode` writes one binary and one
// JSON input per sample below (plus a few hand-made wire encodings) and exits.
// Fuzz/Corpus/decode/ holds its output; scripts/fuzz.sh regenerates it before each run.

import ConformanceMessages
import Foundation
import JobAPI
import ProtoRuntime

private let jobSpec = """
    {"argv":["/bin/sh","-c","echo hi"],"env":{"A":"1","B":"2"},"workingDir":"/tmp","timeout":"3600s",
     "resources":{"cpuMillicores":1000,"memoryMb":256,"gpus":1},"priority":"PRIORITY_HIGH",
     "requiredLabels":{"os":"linux"},"maxAttempts":3,"name":"build","labels":{"team":"ci","x":"y"}}
    """
private let logEntry = """
    {"jobId":"j1","attempt":1,"sequence":"3","timestamp":"2024-01-02T03:04:05.123Z",
     "stream":"LOG_STREAM_STDOUT","line":"aGVsbG8K","partial":true}
    """
private let jobResult = """
    {"jobId":"j1","attempt":2,"exitCode":1,"finalState":"JOB_STATE_FAILED","duration":"1.5s",
     "cpuTime":"0.000001s","peakMemoryBytes":"1048576","errorMessage":"boom",
     "startedAt":"1970-01-01T00:00:00Z","finishedAt":"9999-12-31T23:59:59.999999999Z","lastLogSequence":"99"}
    """
private let settings = """
    {"unhealthyAfterMissedHeartbeats":3,"failureGracePeriod":"60s","maxLogChunkBytes":65536,
     "maxUnackedMessages":1000,"cancelGracePeriod":"10s","maxReconnectBackoff":"30s"}
    """
private let job = """
    {"id":"j","spec":\(jobSpec),"state":"JOB_STATE_RUNNING","attempt":1,"workerId":"w",
     "progress":{"percent":10,"details":{"a":"b"}},"stateMessage":"ok","createdAt":"2024-01-01T00:00:00Z",
     "queuedAt":"2024-01-01T00:00:01Z","assignedAt":"2024-01-01T00:00:02Z","startedAt":"2024-01-01T00:00:03Z",
     "finishedAt":"2024-01-01T00:00:04Z","result":{"jobId":"j","signal":9,"finalState":"JOB_STATE_CANCELLED"},
     "lastEventSequence":"12"}
    """
private let scalars = """
    {"doubleValue":1.5,"floatValue":-2.25,"int32Value":-1,"int64Value":"-9223372036854775808",
     "uint32Value":4294967295,"uint64Value":"18446744073709551615","sint32Value":-2147483648,
     "sint64Value":"9223372036854775807","fixed32Value":1,"fixed64Value":"2","sfixed32Value":-3,
     "sfixed64Value":"-4","boolValue":true,"stringValue":"h\\u00e9llo \\u2713","bytesValue":"AAEC/w==","colorValue":"COLOR_BLUE"}
    """
private let repeated = """
    {"doubleValues":[1,-0.5,"NaN","-Infinity"],"floatValues":[0.25,"Infinity"],"int32Values":[-1,0,1],
     "int64Values":["-5","6"],"uint32Values":[7],"uint64Values":["8"],"sint32Values":[-9],"sint64Values":["-10"],
     "fixed32Values":[11],"fixed64Values":["12"],"sfixed32Values":[-13],"sfixed64Values":["-14"],
     "boolValues":[true,false],"colorValues":["COLOR_RED",1000],"unpackedDoubleValues":[2.5],
     "unpackedFloatValues":[3.5],"unpackedInt32Values":[-1],"unpackedInt64Values":["-2"],"unpackedUint32Values":[3],
     "unpackedUint64Values":["4"],"unpackedSint32Values":[-5],"unpackedSint64Values":["-6"],
     "unpackedFixed32Values":[7],"unpackedFixed64Values":["8"],"unpackedSfixed32Values":[-9],
     "unpackedSfixed64Values":["-10"],"unpackedBoolValues":[true],"unpackedColorValues":["COLOR_GREEN"],
     "explicitPackedInt32Values":[300,-300],"stringValues":["a",""],"bytesValues":["","AQ=="],
     "leafValues":[{"id":1},{"label":"x"}]}
    """
private let maps = """
    {"int32ToInt32":{"1":2,"-3":4},"int64ToInt64":{"5":"6"},"uint32ToUint32":{"7":8},"uint64ToUint64":{"9":"10"},
     "sint32ToSint32":{"-1":-1},"sint64ToSint64":{"-2":"-2"},"fixed32ToFixed32":{"3":3},"fixed64ToFixed64":{"4":"4"},
     "sfixed32ToSfixed32":{"-5":-5},"sfixed64ToSfixed64":{"-6":"-6"},"boolToBool":{"true":false,"false":true},
     "stringToString":{"a":"b","":""},"int32ToFloat":{"1":1.5},"int32ToDouble":{"2":"Infinity"},
     "stringToBytes":{"k":"AQID"},"stringToColor":{"c":"COLOR_RED"},"int64ToLeaf":{"1":{"id":1,"label":"x"}},
     "boolToString":{"true":"t"},"uint32ToInner":{"1":{"label":"in","mood":"MOOD_HAPPY","deeper":{"value":3}}}}
    """
private let oneofs = """
    {"before":1,"leafChoice":{"id":2},"after":"z","otherRecursive":{"stringChoice":"s","otherString":"deep"}}
    """
private let nested = """
    {"inner":{"label":"a","mood":"MOOD_GRUMPY","deeper":{"value":1,"more":[{"value":2}]}},"inners":[{"label":"b"}],
     "mood":"MOOD_HAPPY","deeper":{"value":5},"fullyQualifiedInner":{"label":"c"},
     "tree":{"value":1,"left":{"value":2},"children":[{"value":3},{"left":{"value":4}}]},"deeperByName":{"x":{"value":9}}}
    """
private let tree = """
    {"value":1,"left":{"value":2,"left":{"value":3}},"children":[{"value":4,"children":[{"value":5}]}]}
    """
private let knownTypes = """
    {"timestamp":"1972-01-01T10:00:20.021Z","duration":"1.000340012s","empty":{},
     "timestamps":["2024-01-01T00:00:00Z","0001-01-01T00:00:00Z"],"durations":{"a":"-0.5s","b":"315576000000s"},
     "at":"2030-01-01T00:00:00Z"}
    """
private let highFields = """
    {"f1":1,"f15":15,"f16":16,"f2047":2047,"f2048":2048,"f18999":"a","f20001":"b","f262143":1,"f262144":2,
     "f33554431":3,"f33554432":4,"f536870911":"/w=="}
    """
private let optionals = """
    {"doubleValue":0,"floatValue":0,"int32Value":0,"int64Value":"0","uint32Value":0,"uint64Value":"0",
     "sint32Value":0,"sint64Value":"0","fixed32Value":0,"fixed64Value":"0","sfixed32Value":0,"sfixed64Value":"0",
     "boolValue":false,"stringValue":"","bytesValue":"","colorValue":"COLOR_UNSPECIFIED","leafValue":{}}
    """
private let everything = """
    {"scalars":\(scalars),"repeatedFields":\(repeated),"singleMemberOneofs":{"int32Value":0,"stringValue":"","leafValue":{}},
     "maps":\(maps),"oneofs":\(oneofs),"nested":\(nested),"tree":\(tree),
     "jsonNames":{"plainSnakeCase":1,"customName":2,"withNumber2":"w","field-with-dash":"d"},
     "aliases":{"state":"ALIASED_ENUM_RUNNING","history":["ALIASED_ENUM_DONE",7]},"highFields":\(highFields),
     "reservedFields":{"kept":1,"legacy":"x"},"knownTypes":\(knownTypes),"emptyMessage":{},"leaf":{"id":7,"label":"leaf"},
     "color":"COLOR_GREEN","aliased":"ALIASED_ENUM_FINISHED","reservedEnum":"RESERVED_ENUM_KEPT",
     "children":[{"leaf":{"id":1}},{"color":"COLOR_NEGATIVE"}]}
    """

/// JSON samples by message type (proto3 JSON, so they also seed the JSON mode).
private let samples: [(any ProtoMessage.Type, [String])] = [
    (Hodei_V1_WorkerMessage.self, [
        #"{"sequence":"7","log":\#(logEntry)}"#,
        #"{"sequence":"8","result":\#(jobResult)}"#,
        #"{"sequence":"1","attach":{"workerId":"w","sessionId":"s","lastAckSequence":"5","runningJobs":[{"jobId":"a","attempt":1}],"pendingResultJobs":[{"jobId":"b","attempt":2}]}}"#,
        #"{"heartbeat":{"workerId":"w","timestamp":"2024-02-29T12:00:00+01:00","cpuUsagePercent":12.5,"memoryUsedMb":512,"runningJobs":[{"jobId":"a","attempt":1}]}}"#,
        #"{"progress":{"jobId":"j","attempt":1,"progress":{"percent":50,"message":"half","currentStep":"build","totalSteps":4,"completedSteps":2,"estimatedRemaining":"-3.000000001s","details":{"k":"v","k2":"v2"}},"timestamp":"2000-01-01T00:00:00Z"}}"#,
        #"{"sequence":"2","accepted":{"jobId":"j","attempt":1,"workerId":"w","startedAt":"2024-01-01T00:00:00Z","pid":4242}}"#,
        #"{"sequence":"3","rejected":{"jobId":"j","attempt":1,"reason":"REASON_AT_CAPACITY","message":"full"}}"#,
        #"{"sequence":"4","drain":{"reason":"bye"}}"#,
    ]),
    (Hodei_V1_ServerMessage.self, [
        #"{"attachAck":{"workerId":"w","lastReceivedSequence":"3","heartbeatInterval":"5s","settings":\#(settings),"orphanedJobs":[{"jobId":"o","attempt":1}],"state":"WORKER_STATE_AVAILABLE"}}"#,
        #"{"assign":{"jobId":"j","attempt":1,"spec":\#(jobSpec)}}"#,
        #"{"cancel":{"jobId":"j","reason":"user","attempt":2,"gracePeriod":"2.5s"}}"#,
        #"{"ack":{"sequence":"18446744073709551615"}}"#,
        #"{"drain":{"reason":"maintenance","deadline":"300s"}}"#,
    ]),
    (Hodei_V1_SubmitJobRequest.self, [#"{"spec":\#(jobSpec),"idempotencyKey":"key-1"}"#]),
    (Hodei_V1_JobEvent.self, [
        #"{"sequence":"42","timestamp":"2024-01-01T00:00:00Z","stateChanged":{"previousState":"JOB_STATE_QUEUED","state":"JOB_STATE_RUNNING","attempt":1,"workerId":"w","reason":"assigned"}}"#,
        #"{"sequence":"43","snapshot":\#(job)}"#,
        #"{"sequence":"44","log":\#(logEntry)}"#,
        #"{"sequence":"45","result":\#(jobResult)}"#,
    ]),
    (Hodei_V1_Job.self, [job]),
    (Hodei_V1_JobSpec.self, [jobSpec]),
    (Hodei_V1_ListJobsResponse.self, [#"{"jobs":[\#(job),{"id":"k"}],"nextPageToken":"t"}"#]),
    (Hodei_V1_RegisterWorkerResponse.self, [
        #"{"workerId":"w","heartbeatInterval":"5s","settings":\#(settings),"resumed":true,"serverTime":"2024-01-01T00:00:00Z"}"#,
    ]),
    (Hodei_V1_WorkerStatus.self, [
        #"{"id":"w","name":"n","state":"WORKER_STATE_RUNNING","capabilities":{"total":{"cpuMillicores":4000,"memoryMb":8192},"maxConcurrentJobs":4,"labels":{"os":"linux","arch":"x86_64"},"agentVersion":"1.0","hostname":"h"},"allocated":{"cpuMillicores":1000},"available":{"memoryMb":1024},"runningJobs":[{"jobId":"a","attempt":1}],"lastHeartbeatAt":"2024-01-01T00:00:00Z","registeredAt":"2023-01-01T00:00:00Z","connected":true,"cpuUsagePercent":"NaN","memoryUsedMb":7}"#,
    ]),
    (Hodei_V1_GetJobLogsResponse.self, [#"{"entries":[\#(logEntry),{"line":""}],"nextSequence":"5","attempt":1,"complete":true}"#]),
    (Grpc_Reflection_V1_ServerReflectionRequest.self, [
        #"{"host":"h","fileContainingExtension":{"containingType":"a.B","extensionNumber":5}}"#,
        #"{"listServices":"*"}"#,
    ]),
    (Grpc_Reflection_V1_ServerReflectionResponse.self, [
        #"{"validHost":"h","originalRequest":{"fileByFilename":"x.proto"},"fileDescriptorResponse":{"fileDescriptorProto":["CgV4LnByb3Rv"]}}"#,
        #"{"listServicesResponse":{"service":[{"name":"hodei.v1.JobService"}]}}"#,
        #"{"errorResponse":{"errorCode":5,"errorMessage":"not found"}}"#,
    ]),
    (Grpc_Health_V1_HealthCheckResponse.self, [#"{"status":"SERVING"}"#]),
    (Google_Protobuf_Timestamp.self, [#""2024-01-01T00:00:00.5Z""#, #""0001-01-01T00:00:00Z""#]),
    (Google_Protobuf_Duration.self, [#""-1.5s""#, #""315576000000.999999999s""#]),
    (Hodei_Conformance_V1_Everything.self, [everything]),
    (Hodei_Conformance_V1_EverythingWithOptionals.self, [
        #"{"everything":{"leaf":{"id":1}},"optionals":\#(optionals),"maybeColor":"COLOR_RED","nestedOptionals":{"int32Value":5},"next":{"text":"t","next":{"maybeColor":"COLOR_UNSPECIFIED"}}}"#,
    ]),
    (Hodei_Conformance_V1_Scalars.self, [scalars]),
    (Hodei_Conformance_V1_Repeated.self, [repeated]),
    (Hodei_Conformance_V1_SingleMemberOneofs.self, [#"{"doubleValue":0,"floatValue":0,"boolValue":false,"bytesValue":"","colorValue":"COLOR_UNSPECIFIED"}"#]),
    (Hodei_Conformance_V1_Maps.self, [maps]),
    (Hodei_Conformance_V1_Oneofs.self, [oneofs, #"{"doubleChoice":"NaN","otherString":""}"#]),
    (Hodei_Conformance_V1_Nested.self, [nested]),
    (Hodei_Conformance_V1_Tree.self, [tree]),
    (Hodei_Conformance_V1_JsonNames.self, [#"{"plainSnakeCase":1,"customName":2,"withNumber2":"w","field-with-dash":"d"}"#]),
    (Hodei_Conformance_V1_Aliases.self, [#"{"state":"ALIASED_ENUM_RUNNING","history":["ALIASED_ENUM_DONE",7]}"#]),
    (Hodei_Conformance_V1_HighFields.self, [highFields]),
    (Hodei_Conformance_V1_KnownTypes.self, [knownTypes]),
    (Hodei_Conformance_V1_Optionals.self, [optionals]),
    (Hodei_Conformance_V1_EmptyMessage.self, ["{}"]),
    (Hodei_Conformance_V1_Reserved.self, [#"{"kept":1,"legacy":"x"}"#]),
    (Hodei_Conformance_V1_Leaf.self, [#"{"id":7,"label":"leaf"}"#]),
]

/// Hand-made wire encodings: unknown fields of every wire type (a group too), a packed
/// field sent unpacked and vice versa, an over-long varint, a field repeated to merge.
private let rawSamples: [(String, [UInt8])] = [
    ("hodei.conformance.v1.Everything", [
        0xC0, 0x3E, 0x01,                          // field 1000, varint 1 (unknown)
        0xCB, 0x3E, 0x08, 0x96, 0x01, 0xCC, 0x3E,  // field 1001 group { 1: 150 } (unknown)
        0xD5, 0x3E, 0x01, 0x02, 0x03, 0x04,        // field 1002, fixed32 (unknown)
        0xD9, 0x3E, 1, 2, 3, 4, 5, 6, 7, 8,        // field 1003, fixed64 (unknown)
        0xE2, 0x3E, 0x02, 0x68, 0x69,              // field 1004, "hi" (unknown)
    ]),
    ("hodei.conformance.v1.Repeated", [
        0x18, 0x01, 0x18, 0x02,                    // packed int32 field 3 sent unpacked
        0xAA, 0x01, 0x02, 0x05, 0x06,              // unpacked int32 field 21 sent packed
        0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x8F, 0x80, 0x80, 0x80, 0x80, 0x00,  // 10-byte varint
    ]),
    ("hodei.conformance.v1.Tree", [
        0x12, 0x04, 0x12, 0x02, 0x08, 0x01,        // left { left { value: 1 } }
        0x12, 0x02, 0x08, 0x02,                    // left again: merges
        0x1A, 0x00, 0x1A, 0x02, 0x08, 0x03,        // two children
    ]),
    ("hodei.conformance.v1.Oneofs", [
        0x10, 0x05, 0x42, 0x01, 0x61,              // int32Choice then stringChoice: last wins
        0x5A, 0x02, 0x08, 0x01, 0x5A, 0x02, 0x12, 0x00,  // leafChoice twice: merges
    ]),
]

/// Writes the seeds into `directory`; returns how many were written.
func writeSeeds(to directory: String) throws -> Int {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var count = 0
    func write(_ bytes: [UInt8], _ name: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
        count += 1
    }
    func selector(of name: String) -> UInt8 {
        guard let index = targetNames.firstIndex(of: name) else { fatalError("no fuzz target for \(name)") }
        return UInt8(index)
    }
    for (type, jsons) in samples {
        let name = type.protoMessageName
        for (number, json) in jsons.enumerated() {
            let message = try JSONDecoder().decode(type, from: Data(json.utf8))
            let base = "\(name)-\(number)"
            try write([selector(of: name)] + message.serializedBytes(), base + ".bin")
            try write([selector(of: name) | 0x80] + Array(json.utf8), base + ".json")
        }
    }
    for (number, (name, bytes)) in rawSamples.enumerated() {
        try write([selector(of: name)] + bytes, "\(name)-raw\(number).bin")
    }
    return count
}
