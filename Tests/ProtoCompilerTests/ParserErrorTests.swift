@testable import ProtoCompiler
import XCTest

/// Malformed single-file inputs and the exact `file:line:col: message` each one produces.
final class ParserErrorTests: XCTestCase {
    private let h = proto3Header

    private func assertError(_ source: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(compileError(source), expected, file: file, line: line)
    }

    func testSyntaxStatement() {
        assertError("message A {}\n", "test.proto:1:1: no syntax statement: files without one are proto2, which is not supported; add syntax = \"proto3\";")
        assertError("syntax = \"proto2\";\n", "test.proto:1:10: proto2 is not supported; only syntax = \"proto3\" is")
        assertError("syntax = \"proto4\";\n", "test.proto:1:10: unknown syntax \"proto4\"")
        assertError("syntax = \"proto3\"\nmessage A {}\n", "test.proto:2:1: expected \";\" after syntax statement, found \"message\"")
        assertError("edition = \"2023\";\n", "test.proto:1:1: editions are not supported; use syntax = \"proto3\"")
        assertError(h + "syntax = \"proto3\";\n", "test.proto:2:1: syntax must be the first statement of the file")
        assertError(h + "package a;\npackage b;\n", "test.proto:3:1: multiple package declarations")
    }

    func testProto2OnlyConstructs() {
        assertError(h + "message A {\n  required int32 a = 1;\n}\n", "test.proto:3:3: \"required\" is proto2-only; proto3 fields are optional")
        assertError(h + "message A {\n  repeated group Result = 1 {}\n}\n", "test.proto:3:12: groups are not supported (proto2-only); use a nested message")
        assertError(h + "message A {\n  group Result = 1 {}\n}\n", "test.proto:3:3: groups are not supported (proto2-only); use a nested message")
        assertError(h + "extend Foo {\n  int32 bar = 100;\n}\n", "test.proto:2:1: extensions are not supported in proto3 (\"extend\" is proto2-only)")
        assertError(h + "message A {\n  extend Foo { int32 bar = 100; }\n}\n", "test.proto:3:3: extensions are not supported in proto3 (\"extend\" is proto2-only)")
        assertError(h + "message A {\n  extensions 100 to 199;\n}\n", "test.proto:3:3: extension ranges are not supported in proto3 (\"extensions\" is proto2-only)")
        assertError(h + "message A {\n  int32 a = 1 [default = 1];\n}\n", "test.proto:3:16: explicit default values are not allowed in proto3")
    }

    func testPunctuation() {
        assertError(h + "message A {\n  int32 a = 1\n}\n", "test.proto:4:1: expected \";\" after field \"a\", found \"}\"")
        assertError(h + "message A {\n  int32 a 1;\n}\n", "test.proto:3:11: expected \"=\" after field name \"a\", found \"1\"")
        assertError(h + "import \"a.proto\"\n", "test.proto:3:1: expected \";\" after import, found end of file")
        assertError(h + "int32 x = 1;\n", "test.proto:2:1: expected a top-level statement (import, package, option, message, enum, service), found \"int32\"")
        assertError(h + "message A @ {}\n", "test.proto:2:11: unexpected character '@'")
    }

    func testUnclosedBlocksPointAtTheirKeyword() {
        assertError(h + "message A {\n  int32 a = 1;\n", "test.proto:2:1: message \"A\" is not closed with \"}\"")
        assertError(h + "message A {\n  message B {\n", "test.proto:3:3: message \"B\" is not closed with \"}\"")
        assertError(h + "enum E {\n  A = 0;\n", "test.proto:2:1: enum \"E\" is not closed with \"}\"")
        assertError(h + "message M {}\nservice S {\n  rpc X(M) returns (M);\n", "test.proto:3:1: service \"S\" is not closed with \"}\"")
        assertError(h + "message A {\n  oneof o {\n    int32 a = 1;\n", "test.proto:3:3: oneof \"o\" is not closed with \"}\"")
    }

    func testFieldNumbers() {
        let range = "field numbers must be between 1 and 536870911"
        assertError(h + "message A {\n  int32 a = 0;\n}\n", "test.proto:3:13: " + range)
        assertError(h + "message A {\n  int32 a = 536870912;\n}\n", "test.proto:3:13: " + range)
        assertError(h + "message A {\n  int32 a = -1;\n}\n", "test.proto:3:13: " + range)
        let reserved = "field numbers 19000 through 19999 are reserved for the protocol buffer library implementation"
        assertError(h + "message A {\n  int32 a = 19000;\n}\n", "test.proto:3:13: " + reserved)
        assertError(h + "message A {\n  int32 a = 19999;\n}\n", "test.proto:3:13: " + reserved)
        XCTAssertNil(compileError(h + "message A {\n  int32 a = 18999;\n  int32 b = 20000;\n  int32 c = 536870911;\n}\n"))
    }

    func testDuplicateFields() {
        assertError(h + "message A {\n  int32 a = 1;\n  int32 b = 1;\n}\n", "test.proto:4:13: field number 1 has already been used in \"A\" by field \"a\"")
        assertError(h + "package p;\nmessage A {\n  int32 a = 1;\n  string a = 2;\n}\n", "test.proto:5:3: \"a\" is already defined in \"p.A\"")
        assertError(h + "message A {\n  int32 o = 1;\n  oneof o {\n    int32 b = 2;\n  }\n}\n", "test.proto:4:3: \"o\" is already defined in \"A\"")
    }

    func testReservedNumbersAndNames() {
        assertError(h + "message A {\n  reserved 2, 5 to 7;\n  int32 a = 6;\n}\n", "test.proto:4:13: field \"a\" uses reserved number 6")
        assertError(h + "message A {\n  reserved 10 to max;\n  int32 a = 536870911;\n}\n", "test.proto:4:13: field \"a\" uses reserved number 536870911")
        assertError(h + "message A {\n  reserved \"foo\", \"bar\";\n  int32 bar = 1;\n}\n", "test.proto:4:3: field name \"bar\" is reserved")
        assertError(h + "message A {\n  reserved foo;\n}\n", "test.proto:3:12: reserved names must be string literals in proto3")
        assertError(h + "enum E {\n  reserved 1;\n  Z = 0;\n  A = 1;\n}\n", "test.proto:5:3: enum value \"A\" uses reserved number 1")
        assertError(h + "enum E {\n  reserved \"A\";\n  Z = 0;\n  A = 1;\n}\n", "test.proto:5:3: enum value name \"A\" is reserved")
        XCTAssertNil(compileError(h + "message A {\n  reserved 2, 5 to 7;\n  reserved \"x\";\n  int32 a = 4;\n  int32 b = 8;\n}\n"))
    }

    func testEnumRules() {
        assertError(h + "enum E {\n  A = 1;\n}\n", "test.proto:3:3: the first enum value must be zero in proto3")
        assertError(h + "enum E {\n}\n", "test.proto:2:1: enum \"E\" must contain at least one value")
        assertError(h + "enum E {\n  A = 0;\n  B = 0;\n}\n", "test.proto:4:3: \"B\" uses the same enum value (0) as \"A\"; set option allow_alias = true; to allow this")
        assertError(h + "enum E {\n  option allow_alias = true;\n  A = 0;\n  B = 1;\n}\n", "test.proto:2:1: \"E\" declares option allow_alias = true but no values share a number")
        assertError(h + "enum E {\n  Z = 0;\n  B = 2147483648;\n}\n", "test.proto:4:7: enum value \"B\" is out of the int32 range")
        XCTAssertNil(compileError(h + "enum E {\n  Z = 0;\n  MIN = -2147483648;\n  MAX = 2147483647;\n}\n"))
        XCTAssertNil(compileError(h + "enum E {\n  option allow_alias = true;\n  A = 0;\n  B = 0;\n}\n"))
    }

    func testEnumValueNamesMustDifferIgnoringCaseUnderscoresAndPrefix() {
        // protoc (proto3): values whose names match once case, underscores and the enum-name
        // prefix are ignored are an error, unless they are aliases of one number.
        for values in ["FOO = 1;\n  foo = 2;", "A_B = 1;\n  A__B = 2;", "COLOR_RED = 1;\n  RED = 2;"] {
            let error = compileError(h + "enum Color {\n  COLOR_ZERO = 0;\n  \(values)\n}\n")
            XCTAssertTrue(error?.hasPrefix("test.proto:5:3: ") == true, "\(values): \(error ?? "accepted")")
        }
        XCTAssertNil(compileError(h + "enum E {\n  option allow_alias = true;\n  E_ZERO = 0;\n  X_Y = 1;\n  X__Y = 1;\n}\n"))
    }

    func testMapRules() {
        let key = "use an integer, bool or string type"
        assertError(h + "message A {\n  map<float, string> m = 1;\n}\n", "test.proto:3:3: key in map fields cannot be float; " + key)
        assertError(h + "message A {\n  map<double, string> m = 1;\n}\n", "test.proto:3:3: key in map fields cannot be double; " + key)
        assertError(h + "message A {\n  map<bytes, string> m = 1;\n}\n", "test.proto:3:3: key in map fields cannot be bytes; " + key)
        assertError(h + "message A {\n  map<A, string> m = 1;\n}\n", "test.proto:3:3: key in map fields cannot be a message or enum type (\"A\"); " + key)
        assertError(h + "message A {\n  repeated map<string, string> m = 1;\n}\n", "test.proto:3:3: map fields cannot be repeated")
        assertError(h + "message A {\n  optional map<string, string> m = 1;\n}\n", "test.proto:3:3: map fields cannot be optional")
        assertError(h + "message A {\n  map<string, Missing> m = 1;\n}\n", "test.proto:3:3: \"Missing\" is not defined")
    }

    func testOneofRules() {
        assertError(h + "message A {\n  oneof o {\n    repeated int32 a = 1;\n  }\n}\n", "test.proto:4:5: fields in a oneof must not have labels (\"repeated\")")
        assertError(h + "message A {\n  oneof o {\n    optional int32 a = 1;\n  }\n}\n", "test.proto:4:5: fields in a oneof must not have labels (\"optional\")")
        assertError(h + "message A {\n  oneof o {\n    map<string, int32> a = 1;\n  }\n}\n", "test.proto:4:5: map fields are not allowed in a oneof")
        assertError(h + "message A {\n  oneof o {\n  }\n}\n", "test.proto:3:3: oneof \"o\" must have at least one field")
    }

    func testTypeReferences() {
        assertError(h + "message A {\n  Foo a = 1;\n}\n", "test.proto:3:3: \"Foo\" is not defined")
        assertError(h + "message A {\n  .A.B a = 1;\n}\n", "test.proto:3:3: \".A.B\" is not defined")
        assertError(h + "service S {}\nmessage M {\n  S s = 1;\n}\n", "test.proto:4:3: \"S\" is not a type (it is a service)")
        assertError(h + "package p.q;\nmessage M {\n  p s = 1;\n}\n", "test.proto:4:3: \"p\" is not a type (it is a package)")
    }

    func testJSONNameConflicts() {
        let suffix = "; this is not allowed in proto3"
        assertError(h + "message A {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n", "test.proto:4:3: the JSON camel-case name of field \"fooBar\" conflicts with field \"foo_bar\"" + suffix)
        assertError(h + "message A {\n  int32 a = 1 [json_name = \"b\"];\n  int32 b = 2;\n}\n", "test.proto:4:3: the JSON camel-case name of field \"b\" conflicts with field \"a\"" + suffix)
        assertError(h + "message A {\n  int32 a = 1 [json_name = 5];\n}\n", "test.proto:3:16: option \"json_name\" must be a string")
    }

    func testPackedOption() {
        let message = "[packed = true] can only be specified for repeated primitive fields"
        assertError(h + "message A {\n  repeated string s = 1 [packed = true];\n}\n", "test.proto:3:26: " + message)
        assertError(h + "message A {\n  repeated bytes s = 1 [packed = true];\n}\n", "test.proto:3:25: " + message)
        assertError(h + "message A {\n  repeated A s = 1 [packed = true];\n}\n", "test.proto:3:21: " + message)
        assertError(h + "message A {\n  int32 s = 1 [packed = true];\n}\n", "test.proto:3:16: " + message)
        XCTAssertNil(compileError(h + "message A {\n  repeated string s = 1 [packed = false];\n  repeated int32 i = 2 [packed = true];\n}\n"))
    }

    func testServiceRules() {
        assertError(h + "message M {}\nservice S {\n  rpc X(M) returns (M);\n  rpc X(M) returns (M);\n}\n", "test.proto:5:3: \"X\" is already defined in service \"S\"")
        assertError(h + "enum E { Z = 0; }\nmessage M {}\nservice S {\n  rpc X(E) returns (M);\n}\n", "test.proto:5:9: \"E\" is not a message type")
        assertError(h + "message M {}\nservice S {\n  rpc X(M) (M);\n}\n", "test.proto:4:12: expected \"returns\", found \"(\"")
        assertError(h + "message M {}\nservice S {\n  X(M) returns (M);\n}\n", "test.proto:4:3: expected \"rpc\" or \"option\" in service, found \"X\"")
    }

    func testDuplicateDeclarations() {
        assertError(h + "message A {}\nmessage A {}\n", "test.proto:3:1: \"A\" is already defined in file \"test.proto\"")
        assertError(h + "message A {\n  message B {}\n  message B {}\n}\n", "test.proto:4:3: \"A.B\" is already defined in file \"test.proto\"")
        assertError(h + "package p;\nmessage S {}\nservice S {}\n", "test.proto:4:1: \"p.S\" is already defined in file \"test.proto\"")
    }
}
