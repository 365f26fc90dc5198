@testable import ProtoCompiler
import XCTest

/// What well-formed files parse into: the syntax tree before names are resolved.
final class ParserTests: XCTestCase {
    private func parse(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> ProtoFileAST? {
        do throws(CompileError) {
            return try Parser.parse(source: proto3Header + body, path: "t.proto")
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    func testAdjacentStringLiteralsConcatenate() {
        let file = parse("import \"dir/\" 'dep' \".proto\";\noption java_package = \"a\" \"b\";\n")
        XCTAssertEqual(file?.imports.map(\.path), ["dir/dep.proto"])
        XCTAssertEqual(file?.options.first?.value, .string(Array("ab".utf8)))
    }

    func testImportKinds() {
        let file = parse("import \"a.proto\";\nimport public \"b.proto\";\nimport weak \"c.proto\";\n")
        XCTAssertEqual(file?.imports.map(\.path), ["a.proto", "b.proto", "c.proto"])
        XCTAssertEqual(file?.imports.map { "\($0.kind)" }, ["normal", "public", "weak"])
        XCTAssertEqual(file?.imports.map(\.location.description), ["t.proto:2:1", "t.proto:3:1", "t.proto:4:1"])
    }

    func testOptionValuesOfEveryKind() {
        let file = parse("""
            option a = 1;
            option b = -0x10;
            option c = 2.5;
            option d = -inf;
            option e = IDENT;
            option f = "s";
            option (my.ext).field = { x: 1 nested { y: [1, 2] } };
            option g = +3;
            """)
        let values = file?.options.map(\.value) ?? []
        XCTAssertEqual(values.count, 8)
        guard values.count == 8 else { return }
        XCTAssertEqual(values[0], .integer(negative: false, magnitude: 1))
        XCTAssertEqual(values[1], .integer(negative: true, magnitude: 16))
        XCTAssertEqual(values[2], .float(2.5))
        XCTAssertEqual(values[3], .float(-.infinity))
        XCTAssertEqual(values[4], .identifier("IDENT"))
        XCTAssertEqual(values[5], .string([0x73]))
        XCTAssertEqual(values[6], .aggregate)
        XCTAssertEqual(values[7], .integer(negative: false, magnitude: 3))
        XCTAssertEqual(file?.options[6].name, "(my.ext).field")
    }

    func testEmptyStatementsAreIgnored() {
        let file = parse(";\nmessage A { ; int32 x = 1; ; }\n;\nenum E { ; Z = 0; }\n")
        XCTAssertEqual(file?.messages.first?.fields.map(\.name), ["x"])
        XCTAssertEqual(file?.enums.first?.values.map(\.name), ["Z"])
    }

    func testFieldsLabelsAndTypes() {
        let file = parse("""
            message A {
              repeated .p.Q list = 1;
              optional string maybe = 2 [json_name = "m", deprecated = true];
              map<string, p.V> dict = 3;
              stream stream = 4;
              optional optional = 5;
            }
            """)
        let fields = file?.messages.first?.fields ?? []
        XCTAssertEqual(fields.map(\.name), ["list", "maybe", "dict", "stream", "optional"])
        XCTAssertEqual(fields.map { "\($0.label)" }, ["repeated", "optional", "singular", "singular", "singular"])
        XCTAssertEqual(fields.map(\.number), [1, 2, 3, 4, 5])
        if case .named(let type) = fields.first?.type { XCTAssertEqual(type, ".p.Q") } else { XCTFail("list type") }
        if case .map(let key, let value) = fields[safe: 2]?.type {
            XCTAssertEqual([key, value], ["string", "p.V"])
        } else {
            XCTFail("dict type")
        }
        if case .named(let type) = fields[safe: 4]?.type { XCTAssertEqual(type, "optional") } else { XCTFail("optional type") }
        XCTAssertEqual(fields[safe: 1]?.options.map(\.name), ["json_name", "deprecated"])
    }

    func testOneofMembersRecordTheirOneof() {
        let message = parse("message A {\n  int32 a = 1;\n  oneof o {\n    option (x) = 1;\n    int32 b = 2;\n    string c = 3;\n  }\n}\n")?.messages.first
        XCTAssertEqual(message?.oneofs.map(\.name), ["o"])
        XCTAssertEqual(message?.fields.map(\.oneofIndex), [nil, 0, 0])
    }

    func testReservedRangesAndNames() {
        let message = parse("message A {\n  reserved 1, 3 to 5, 100 to max;\n  reserved \"a\", \"b\";\n}\n")?.messages.first
        XCTAssertEqual(message?.reservedRanges, [1...1, 3...5, 100...536_870_911])
        XCTAssertEqual(message?.reservedNames, ["a", "b"])
        let enumeration = parse("enum E {\n  Z = 0;\n  reserved -5 to -1, 10 to max;\n}\n")?.enums.first
        XCTAssertEqual(enumeration?.reservedRanges, [-5 ... -1, 10...2_147_483_647])
    }

    func testServicesAndStreaming() {
        let service = parse("""
            service S {
              option deprecated = true;
              rpc A(Req) returns (Res);
              rpc B(stream Req) returns (stream .p.Res) {}
              rpc C(stream) returns (stream stream) { option deprecated = true; };
            }
            """)?.services.first
        let methods = service?.methods ?? []
        XCTAssertEqual(methods.map(\.name), ["A", "B", "C"])
        XCTAssertEqual(methods.map(\.clientStreaming), [false, true, false])
        XCTAssertEqual(methods.map(\.serverStreaming), [false, true, true])
        XCTAssertEqual(methods.map(\.inputType), ["Req", "Req", "stream"])
        XCTAssertEqual(methods.map(\.outputType), ["Res", ".p.Res", "stream"])
        XCTAssertEqual(methods.last?.options.map(\.name), ["deprecated"])
        XCTAssertEqual(service?.options.map(\.name), ["deprecated"])
    }

    func testDocumentationCommentsAreKept() {
        let file = parse("// The message.\nmessage A {\n  // The field.\n  int32 x = 1;\n}\n\n// Detached.\n\nenum E { Z = 0; }\n")
        XCTAssertEqual(file?.messages.first?.comment, "The message.")
        XCTAssertEqual(file?.messages.first?.fields.first?.comment, "The field.")
        XCTAssertNil(file?.enums.first?.comment)
    }

    func testMessageNestingIsBounded() {
        func nested(_ depth: Int) -> String {
            String(repeating: "message M {\n", count: depth) + String(repeating: "}\n", count: depth)
        }
        XCTAssertEqual(Parser.maxMessageDepth, 64)
        XCTAssertNotNil(parse(nested(64)))
        XCTAssertEqual(compileError(proto3Header + nested(65)), "test.proto:66:1: messages nested more than 64 deep")
        XCTAssertNotNil(compileError(proto3Header + nested(10_000)))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
