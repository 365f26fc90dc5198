// libFuzzer target for the `.proto` compiler: lexer, parser, resolver, validation and the
// Swift emitters.
//
// The input is the text of `fuzz.proto`. It may import an in-memory `dep.proto` and any
// `.proto` of the repository by its import path (`hodei/v1/common.proto`,
// `google/protobuf/timestamp.proto`, `conformance/v1/conformance.proto`, ...). The compiler must either return exactly one generated file or throw a
// CompileError located in one of those files (`file:line:col: message`, line and column
// from 1). Anything else (a trap, a hang, another error, a malformed location) is a crash.

import Foundation
import ProtoCompilerUnderFuzz

private let depProto = """
    syntax = "proto3";
    package fuzz.dep;
    import public "google/protobuf/timestamp.proto";
    import "google/protobuf/duration.proto";
    option swift_prefix = "Dep";

    // A message to refer to.
    message Dep {
      int32 a = 1;
      google.protobuf.Duration d = 2;
      message Inner { string b = 1; repeated Inner more = 2; }
      enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }
      map<string, Inner> inners = 3;
      oneof choice { Kind kind = 4; bytes raw = 5; }
    }

    enum DepEnum {
      option allow_alias = true;
      DEP_ENUM_UNSPECIFIED = 0;
      DEP_ENUM_ONE = 1;
      DEP_ENUM_UNO = 1;
    }

    service DepService {
      rpc Call(Dep) returns (stream Dep.Inner);
    }
    """

/// The repository's own `.proto` files by import path (Protos/ and Tests/Protos/ are the
/// roots `make generate` uses), so seeds copied from them resolve their imports.
private let repositoryProtos: [String: String] = {
    // .../Fuzz/Sources/FuzzProtoParser/FuzzProtoParser.swift -> the repository root.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var found: [String: String] = [:]
    for importRoot in ["Protos", "Tests/Protos"] {
        let base = root.appendingPathComponent(importRoot)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
        for case let relative as String in walker where relative.hasSuffix(".proto") {
            found[relative] = try? String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
        }
    }
    guard found["google/protobuf/timestamp.proto"] != nil, found["hodei/v1/common.proto"] != nil else {
        fatalError("fuzz-proto-parser: cannot read the repository's .proto files under \(root.path)")
    }
    return found
}()

/// Files by the path the compiler asks for (import path ".": the path itself).
private let files: [String: String] = repositoryProtos.merging(["dep.proto": depProto]) { $1 }

private let options: GeneratorOptions = {
    var options = GeneratorOptions()
    _ = options.apply("FileNaming=PathToUnderscores")
    return options
}()

/// FUZZ_VERBOSE=1 prints each input's outcome (for triage: `FUZZ_VERBOSE=1 fuzz-proto-parser file...`).
private let verbose = ProcessInfo.processInfo.environment["FUZZ_VERBOSE"] == "1"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let inputs = files.merging(["fuzz.proto": source]) { $1 }
    do throws(CompileError) {
        let generated = try ProtoSwiftCompiler.compile(
            inputs: ["fuzz.proto"], importPaths: ["."], options: options,
            readFile: { inputs[$0] }
        )
        guard generated.count == 1, generated[0].name == "fuzz.pb.swift", !generated[0].contents.isEmpty else {
            fatalError("fuzz-proto-parser: unexpected output \(generated.map(\.name))")
        }
        if verbose { print("compiled: \(generated[0].contents.utf8.count) bytes of Swift") }
        if let emitDirectory { emit(source, into: emitDirectory, inputs: inputs) }
        checkGenerated(generated[0].contents)
    } catch {
        if verbose { print("error: \(error)") }
        check(error, knownFiles: inputs)
    }
    return 0
}

/// Text from the `.proto` must not be able to escape where the emitter puts it: a
/// carriage return ends a `///` comment for swiftc (the rest of the line becomes code), and `\(` in a
/// string literal is interpolation. Whether the output type-checks at all is left to the
/// slower Fuzz/typecheck-generated.sh.
private func checkGenerated(_ swift: String) {
    if swift.utf8.contains(13) {
        fatalError("fuzz-proto-parser: generated Swift contains a carriage return (copied from a comment: a lone CR ends the /// comment early, and a CRLF inside a multi-line comment is one Character, so the comment is not split there)")
    }
    // `\(` outside comments: the only interpolation the emitter writes itself is
    // `"invalid Duration \"\(text)\""` (in the well-known types' JSON code).
    for line in swift.split(separator: "\n") where !line.drop(while: { $0 == " " }).hasPrefix("//") {
        if hasInterpolation(line.replacingOccurrences(of: #"\"\(text)\""#, with: "")) {
            fatalError("fuzz-proto-parser: generated Swift contains string interpolation taken from the .proto: \(line)")
        }
    }
}

/// True if `line` has a `\(` whose backslash is not itself escaped (`\\(` is a literal).
private func hasInterpolation(_ line: String) -> Bool {
    var backslashes = 0
    for byte in line.utf8 {
        if byte == UInt8(ascii: "(") && backslashes % 2 == 1 { return true }
        backslashes = byte == UInt8(ascii: "\\") ? backslashes + 1 : 0
    }
    return false
}

/// A CompileError must point into a file that exists, at a line and column that exist.
private func check(_ error: CompileError, knownFiles: [String: String]) {
    let location = error.location
    guard let text = knownFiles[location.file] else {
        fatalError("fuzz-proto-parser: error located in unknown file: \(error)")
    }
    let lineCount = text.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    guard location.line >= 1, location.line <= lineCount, location.column >= 1 else {
        fatalError("fuzz-proto-parser: error location out of range (file has \(lineCount) lines): \(error)")
    }
    let description = error.description
    let prefix = "\(location.file):\(location.line):\(location.column): "
    guard description.hasPrefix(prefix), description.count > prefix.count else {
        fatalError("fuzz-proto-parser: malformed error description: \(description)")
    }
}

// MARK: - Emit mode (for Fuzz/typecheck-generated.sh)

/// FUZZ_EMIT_DIR=<dir>: also write the Swift generated for every accepted input to
/// `<dir>/<hash>.pb.swift` (with its `.proto` next to it), importing the modules that hold
/// the types of the repository's protos, so that swiftc can check the output compiles.
private let emitDirectory = ProcessInfo.processInfo.environment["FUZZ_EMIT_DIR"]

private let emitOptions: GeneratorOptions = {
    var options = GeneratorOptions()
    _ = options.apply("FileNaming=PathToUnderscores")
    _ = options.apply("Import=JobAPI")
    _ = options.apply("Import=ConformanceMessages")
    _ = options.apply("Import=DepProto")
    return options
}()

private func emit(_ source: String, into directory: String, inputs: [String: String]) {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in source.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let base = URL(fileURLWithPath: directory).appendingPathComponent(String(hash, radix: 16))
    do throws(CompileError) {
        let generated = try ProtoSwiftCompiler.compile(
            inputs: ["fuzz.proto"], importPaths: ["."], options: emitOptions, readFile: { inputs[$0] }
        )
        try? Data(generated[0].contents.utf8).write(to: base.appendingPathExtension("pb.swift"))
        try? Data(source.utf8).write(to: base.appendingPathExtension("proto"))
    } catch {
        fatalError("fuzz-proto-parser: accepted with the fuzzing options but not with the emit options: \(error)")
    }
    // dep.proto's own Swift, compiled as module DepProto by the checker.
    let depSwift = URL(fileURLWithPath: directory).appendingPathComponent("DepProto.swift")
    if !FileManager.default.fileExists(atPath: depSwift.path) {
        var options = GeneratorOptions()
        _ = options.apply("FileNaming=PathToUnderscores")
        if let dep = try? ProtoSwiftCompiler.compile(inputs: ["dep.proto"], importPaths: ["."], options: options, readFile: { files[$0] }) {
            try? Data(dep[0].contents.utf8).write(to: depSwift)
        }
    }
}
