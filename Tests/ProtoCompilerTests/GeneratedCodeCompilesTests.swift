import Foundation
@testable import ProtoCompiler
import XCTest

/// Generated Swift for awkward but legal schemas must compile: each case is generated in
/// memory and type-checked with `swiftc` against the built ProtoRuntime and RPCCore modules.
final class GeneratedCodeCompilesTests: XCTestCase {
    private func assertTypechecks(_ proto: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let swift = generatedSwift(proto, file: file, line: line)
        guard !swift.isEmpty else { return }
        let directory = try makeTemporaryDirectory(for: self)
        let source = directory.appendingPathComponent("generated.swift")
        try swift.write(to: source, atomically: true, encoding: .utf8)
        let modules = try BuildProducts.modules()
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["swiftc", "-typecheck", "-swift-version", "6", "-I", modules.path, source.path],
            in: directory
        )
        XCTAssertNotEqual(result.status, 127, "swiftc is not on PATH", file: file, line: line)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains("error:") }.prefix(5)
        XCTAssertEqual(result.status, 0, "generated code does not compile:\n" + errors.joined(separator: "\n"), file: file, line: line)
    }

    /// Every schema the fuzzers found that once produced code that did not compile (or that
    /// ran code smuggled in through a string): it must now type-check, or be rejected with
    /// `file:line:col`.
    func testFuzzRegressions() throws {
        let folders = ["Fuzz/Regressions/typecheck", "Fuzz/Regressions/proto-parser"].map { BuildProducts.packageRoot.appendingPathComponent($0) }
        var checked = 0
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".proto") {
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                let source = String(decoding: data, as: UTF8.self)
                do {
                    _ = try ProtoSwiftCompiler.compile(inputs: [name], importPaths: ["."], options: GeneratorOptions()) { $0 == name ? source : nil }
                } catch {
                    XCTAssertTrue(error.description.hasPrefix(name + ":"), "\(name): \(error)")
                    checked += 1
                    continue
                }
                try assertTypechecks(source)
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 10)
    }

    func testEveryConstructTogether() throws {
        try assertTypechecks(proto3Header + """
            package demo.v1;
            message Tree {
              Tree left = 1;
              repeated Tree children = 2;
              oneof shape { Tree only = 3; string label = 4; bytes blob = 15; }
              map<string, int32> counts = 5;
              repeated int32 values = 6;
              repeated int32 loose = 7 [packed = false];
              repeated string names = 8;
              optional int64 maybe = 9;
              int32 renamed = 10 [json_name = "other"];
              State state = 11;
              map<int64, Tree> kids = 12;
              map<bool, State> flags = 13;
              repeated State states = 14;
              double d = 16; float f = 17; uint32 u32 = 18; uint64 u64 = 19; sint32 s32 = 20; sint64 s64 = 21;
              fixed32 f32 = 22; fixed64 f64 = 23; sfixed32 sf32 = 24; sfixed64 sf64 = 25; bool b = 26;
              repeated double rd = 27; repeated bytes rb = 28; repeated sfixed64 rsf = 29;
              message Leaf { Tree back = 1; }
              enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }
            }
            enum State {
              option allow_alias = true;
              STATE_UNSPECIFIED = 0;
              STATE_RUNNING = 1;
              STATE_STARTED = 1;
            }
            service Greeter {
              rpc SayHello(Tree) returns (Tree);
              rpc Chat(stream Tree) returns (stream Tree);
            }
            """)
    }

    func testFieldsNamedLikeSwiftKeywordsAndMembers() throws {
        try assertTypechecks(proto3Header + """
            package edge;
            message M {
              int32 type = 1;
              string class = 2;
              int32 default = 3;
              int32 unknown_fields = 4;
              int32 is = 5;
              int32 some = 6;
              int32 hash_value = 7;
              int32 encode = 8;
              oneof kind { int32 value = 9; string Protocol = 10; }
              message Type { int32 x = 1; }
              Type nested = 11;
            }
            enum Keywords {
              KEYWORDS_DEFAULT = 0;
              KEYWORDS_TYPE = 1;
              KEYWORDS_CLASS = 2;
              KEYWORDS_UNRECOGNIZED = 3;
              KEYWORDS_RAW_VALUE = 4;
            }
            """)
    }

    func testFieldNamedSelf() throws {
        try assertTypechecks(proto3Header + "package edge;\nmessage M {\n  int32 self = 1;\n}\n")
    }

    func testFieldAndOneofMemberNamedInit() throws {
        try assertTypechecks(proto3Header + "package edge;\nmessage M {\n  int32 init = 1;\n}\nmessage N {\n  oneof o { int32 init = 1; }\n}\n")
    }

    func testEnumValueNamedInit() throws {
        try assertTypechecks(proto3Header + "package edge;\nenum Phase {\n  PHASE_INIT = 0;\n  PHASE_SELF = 1;\n}\nmessage M {\n  Phase p = 1;\n}\n")
    }

    func testMethodsNamedLikeSwiftMetatypeMembers() throws {
        try assertTypechecks(proto3Header + "package edge;\nmessage M {}\nservice S {\n  rpc Type(M) returns (M);\n  rpc Protocol(M) returns (M);\n  rpc Self(M) returns (M);\n}\n")
    }

    func testAliasWhoseSwiftNameMatchesItsPrimaryCase() throws {
        try assertTypechecks(proto3Header + "package edge;\nenum E {\n  option allow_alias = true;\n  E_ZERO = 0;\n  X_Y = 1;\n  X__Y = 1;\n  x_y = 1;\n}\n")
    }
}
