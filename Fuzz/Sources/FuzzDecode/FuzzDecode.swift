// libFuzzer target for the protobuf runtime: binary decoding, re-encoding and the proto3
// JSON mapping of generated messages.
//
// Input layout: byte 0 selects the message type (low 5 bits) and the mode (bit 7: the rest
// is JSON text, otherwise binary protobuf); bytes 1... are the payload.
//
// Oracles (any violation calls fatalError, which libFuzzer reports as a crash):
//  * decoding never traps, hangs or touches memory out of bounds (ASan);
//  * a decoded message re-encodes to bytes that decode again, and re-encoding is stable:
//    encode(decode(encode(m))) == encode(m) byte for byte, except that map entries may come
//    out in another order (then the sizes must agree and the values compare equal, unless
//    a NaN makes `==` false);
//  * JSON: encoding a decoded message either throws EncodingError (a Timestamp/Duration out
//    of range) or gives JSON that decodes back and re-encodes to the same JSON text.

import ConformanceMessages
import Foundation
import JobAPI
// @testable (debug builds are compiled with -enable-testing) for the UTF-8 validator.
@testable import ProtoRuntime

/// One message type under test.
private struct Target: Sendable {
    let name: String
    let run: @Sendable (UnsafeRawBufferPointer, Bool) -> Void

    init<M: ProtoMessage>(_ type: M.Type) {
        name = M.protoMessageName
        run = { payload, json in
            if json { fuzzJSON(M.self, payload) } else { fuzzBinary(M.self, payload) }
        }
    }
}

private let targets: [Target] = [
    Target(Hodei_V1_WorkerMessage.self),
    Target(Hodei_V1_ServerMessage.self),
    Target(Hodei_V1_SubmitJobRequest.self),
    Target(Hodei_V1_JobEvent.self),
    Target(Hodei_V1_Job.self),
    Target(Hodei_V1_JobSpec.self),
    Target(Hodei_V1_ListJobsResponse.self),
    Target(Hodei_V1_RegisterWorkerResponse.self),
    Target(Hodei_V1_WorkerStatus.self),
    Target(Hodei_V1_GetJobLogsResponse.self),
    Target(Grpc_Reflection_V1_ServerReflectionRequest.self),
    Target(Grpc_Reflection_V1_ServerReflectionResponse.self),
    Target(Grpc_Health_V1_HealthCheckResponse.self),
    Target(Google_Protobuf_Timestamp.self),
    Target(Google_Protobuf_Duration.self),
    Target(Hodei_Conformance_V1_Everything.self),
    Target(Hodei_Conformance_V1_EverythingWithOptionals.self),
    Target(Hodei_Conformance_V1_Scalars.self),
    Target(Hodei_Conformance_V1_Repeated.self),
    Target(Hodei_Conformance_V1_SingleMemberOneofs.self),
    Target(Hodei_Conformance_V1_Maps.self),
    Target(Hodei_Conformance_V1_Oneofs.self),
    Target(Hodei_Conformance_V1_Nested.self),
    Target(Hodei_Conformance_V1_Tree.self),
    Target(Hodei_Conformance_V1_JsonNames.self),
    Target(Hodei_Conformance_V1_Aliases.self),
    Target(Hodei_Conformance_V1_HighFields.self),
    Target(Hodei_Conformance_V1_KnownTypes.self),
    Target(Hodei_Conformance_V1_Optionals.self),
    Target(Hodei_Conformance_V1_EmptyMessage.self),
    Target(Hodei_Conformance_V1_Reserved.self),
    Target(Hodei_Conformance_V1_Leaf.self),
]

/// FUZZ_VERBOSE=1 prints what happens to each input (for triage).
private let verbose = ProcessInfo.processInfo.environment["FUZZ_VERBOSE"] == "1"

/// The protobuf names of `targets`, by selector value.
let targetNames = targets.map(\.name)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size >= 1 else { return 0 }
    let selector = data[0]
    let target = targets[Int(selector & 0x1F) % targets.count]
    let payload = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    checkUTF8Validation(data + 1, count: size - 1)
    target.run(payload, selector & 0x80 != 0)
    return 0
}

// MARK: - Binary

private func fail(_ what: String, _ type: String, _ details: @autoclosure () -> String = "") -> Never {
    fatalError("fuzz-decode: \(type): \(what)\n\(details())")
}

private func fuzzBinary<M: ProtoMessage>(_: M.Type, _ payload: UnsafeRawBufferPointer) {
    let first: M
    do {
        first = try M(serializedBytes: payload)
    } catch {
        if verbose { print("\(M.protoMessageName): binary decoding failed: \(error)") }
        return  // a typed ProtoDecodingError: malformed input, rejected cleanly
    }
    if verbose { print("\(M.protoMessageName): decoded \(first)") }
    checkRoundTrip(first, origin: "binary")
    checkJSON(first)
}

/// encode(m) must decode, and encode(decode(encode(m))) must equal encode(m).
private func checkRoundTrip<M: ProtoMessage>(_ first: M, origin: String) {
    let name = M.protoMessageName
    let encoded = first.serializedBytes()
    if encoded.count != first.serializedSize() {
        fail("serializedSize() \(first.serializedSize()) != \(encoded.count) bytes written", name)
    }
    let second: M
    do {
        second = try M(serializedBytes: encoded)
    } catch ProtoDecodingError.nestingTooDeep where origin == "json" {
        // JSON has no nesting limit of its own (JSONDecoder's is 512); the binary
        // decoder stops at ProtoReader.maxDepth. Reported separately, not a crash.
        return
    } catch {
        fail("re-encoding of a \(origin)-decoded message does not decode: \(error)", name, hex(encoded))
    }
    let reencoded = second.serializedBytes()
    if reencoded == encoded { return }
    // Map entries may be written in another order (Dictionary order depends on history).
    if reencoded.count != encoded.count {
        fail("re-encoding changed size \(encoded.count) -> \(reencoded.count)", name, "\(hex(encoded))\n\(hex(reencoded))")
    }
    if reencoded.sorted() != encoded.sorted() {
        fail("re-encoding changed content, not just order", name, "\(hex(encoded))\n\(hex(reencoded))")
    }
    if second != first && !containsNaN(first) {
        fail("decode(encode(m)) != m", name, "\(first)\n\(second)")
    }
}

// MARK: - JSON

private let jsonEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
}()

private func fuzzJSON<M: ProtoMessage>(_: M.Type, _ payload: UnsafeRawBufferPointer) {
    let first: M
    do {
        first = try JSONDecoder().decode(M.self, from: Data(payload))
    } catch is DecodingError {
        if verbose { print("\(M.protoMessageName): JSON decoding failed") }
        return
    } catch {
        fail("JSONDecoder threw something other than DecodingError: \(error)", M.protoMessageName)
    }
    checkJSON(first)
    checkRoundTrip(first, origin: "json")
}

/// JSON(m) must decode back to a message whose JSON is the same text.
private func checkJSON<M: ProtoMessage>(_ message: M) {
    let name = M.protoMessageName
    let json: Data
    do {
        json = try jsonEncoder.encode(message)
        if verbose { print("\(name): JSON \(String(decoding: json, as: UTF8.self))") }
    } catch is EncodingError {
        if verbose { print("\(name): JSON encoding refused") }
        return  // e.g. a Timestamp or Duration outside the range JSON can express
    } catch {
        fail("JSONEncoder threw something other than EncodingError: \(error)", name)
    }
    let decoded: M
    do {
        decoded = try JSONDecoder().decode(M.self, from: json)
    } catch {
        fail("our own JSON does not decode: \(error)", name, String(decoding: json, as: UTF8.self))
    }
    let again: Data
    do {
        again = try jsonEncoder.encode(decoded)
    } catch {
        fail("JSON of a JSON-decoded message does not encode: \(error)", name, String(decoding: json, as: UTF8.self))
    }
    if again != json {
        fail("JSON round trip changed the text", name, "\(String(decoding: json, as: UTF8.self))\n\(String(decoding: again, as: UTF8.self))")
    }
    // JSON must keep every known field's value: the binary encodings agree unless the
    // original kept unknown fields (which JSON drops), maps came out in another order, or a
    // NaN lost its payload bits (JSON has only "NaN").
    let original = message.serializedBytes()
    let viaJSON = decoded.serializedBytes()
    if viaJSON != original && !containsUnknownFields(message) && !containsNaN(message)
        && !(viaJSON.count == original.count && viaJSON.sorted() == original.sorted()) {
        fail("JSON round trip changed the message", name,
             "JSON: \(String(decoding: json, as: UTF8.self))\nbefore: \(hex(original))\nafter:  \(hex(viaJSON))\n\(message)\n\(decoded)")
    }
}

/// True if `value` or any message inside it kept unknown fields.
private func containsUnknownFields(_ value: Any, depth: Int = 0) -> Bool {
    if let unknown = value as? UnknownFields { return !unknown.isEmpty }
    if value is String || value is [UInt8] || depth > 400 { return false }
    return Mirror(reflecting: value).children.contains { containsUnknownFields($0.value, depth: depth + 1) }
}

// MARK: - Helpers

/// Hodei's own UTF-8 validator (used for every `string` field) must agree with the standard
/// library's: accepting a malformed string would make decoding repair it silently.
private func checkUTF8Validation(_ bytes: UnsafePointer<UInt8>, count: Int) {
    let ours = UTF8Validation.isValid(bytes, count: count)
    let stdlib = String(validating: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) != nil
    if ours != stdlib {
        fail("UTF8Validation.isValid says \(ours), the standard library \(stdlib)", "UTF-8",
             hex(Array(UnsafeBufferPointer(start: bytes, count: count))))
    }
}

/// True if a Double or Float NaN occurs anywhere in `value` (NaN != NaN defeats `==`).
private func containsNaN(_ value: Any, depth: Int = 0) -> Bool {
    if let double = value as? Double { return double.isNaN }
    if let float = value as? Float { return float.isNaN }
    if depth > 400 { return false }
    return Mirror(reflecting: value).children.contains { containsNaN($0.value, depth: depth + 1) }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.prefix(512).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
}
