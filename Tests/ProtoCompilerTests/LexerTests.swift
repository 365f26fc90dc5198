@testable import ProtoCompiler
import XCTest

/// Tokens, their positions, literals and comments, and the lexer's errors.
final class LexerTests: XCTestCase {
    private func kinds(_ source: String) throws -> [Token.Kind] {
        try Lexer.tokenize(source, file: "t.proto").map(\.kind)
    }

    private func single(_ source: String) throws -> Token.Kind {
        let tokens = try kinds(source)
        XCTAssertEqual(tokens.count, 2, "\(source) must be one token")
        return tokens[0]
    }

    private func lexError(_ source: String) -> String? {
        do throws(CompileError) {
            _ = try Lexer.tokenize(source, file: "t.proto")
            return nil
        } catch {
            return error.description
        }
    }

    func testSyntaxStatementTokensAndLocations() throws {
        let tokens = try Lexer.tokenize("syntax = \"proto3\";\n  message", file: "t.proto")
        XCTAssertEqual(tokens.map(\.kind), [
            .identifier("syntax"), .symbol("="), .string(Array("proto3".utf8)), .symbol(";"), .identifier("message"), .endOfFile,
        ])
        XCTAssertEqual(tokens.map(\.location.description), ["t.proto:1:1", "t.proto:1:8", "t.proto:1:10", "t.proto:1:18", "t.proto:2:3", "t.proto:2:10"])
    }

    func testSymbolsAndIdentifiers() throws {
        XCTAssertEqual(try kinds("map<string,Foo.Bar_2>"), [
            .identifier("map"), .symbol("<"), .identifier("string"), .symbol(","), .identifier("Foo"), .symbol("."),
            .identifier("Bar_2"), .symbol(">"), .endOfFile,
        ])
        XCTAssertEqual(try kinds("[(a).b = -1]"), [
            .symbol("["), .symbol("("), .identifier("a"), .symbol(")"), .symbol("."), .identifier("b"), .symbol("="),
            .symbol("-"), .integer(1), .symbol("]"), .endOfFile,
        ])
        XCTAssertEqual(try kinds("_x9"), [.identifier("_x9"), .endOfFile])
    }

    func testIntegers() throws {
        XCTAssertEqual(try single("0"), .integer(0))
        XCTAssertEqual(try single("42"), .integer(42))
        XCTAssertEqual(try single("0x1F"), .integer(31))
        XCTAssertEqual(try single("0X1f"), .integer(31))
        XCTAssertEqual(try single("017"), .integer(15))
        XCTAssertEqual(try single("00"), .integer(0))
        XCTAssertEqual(try single("18446744073709551615"), .integer(UInt64.max))
        XCTAssertEqual(try single("0xFFFFFFFFFFFFFFFF"), .integer(UInt64.max))
    }

    func testFloats() throws {
        XCTAssertEqual(try single("1.5"), .float(1.5))
        XCTAssertEqual(try single(".5"), .float(0.5))
        XCTAssertEqual(try single("1e5"), .float(100_000))
        XCTAssertEqual(try single("1E5"), .float(100_000))
        XCTAssertEqual(try single("1e-5"), .float(0.000_01))
        XCTAssertEqual(try single("2.5E+10"), .float(2.5e10))
        XCTAssertEqual(try kinds("-2.5"), [.symbol("-"), .float(2.5), .endOfFile])
    }

    func testNumberErrors() {
        XCTAssertEqual(lexError("18446744073709551616"), "t.proto:1:1: integer \"18446744073709551616\" is out of range")
        XCTAssertEqual(lexError("x = 08"), "t.proto:1:5: invalid octal integer \"08\"")
        XCTAssertEqual(lexError("0xZ"), "t.proto:1:1: invalid hexadecimal integer \"0xZ\"")
        XCTAssertEqual(lexError("12abc"), "t.proto:1:1: invalid number \"12abc\"")
    }

    func testStringEscapes() throws {
        XCTAssertEqual(try single(#""\x41\x4a\X4B""#), .string([0x41, 0x4A, 0x4B]))
        XCTAssertEqual(try single(#""\x4g""#), .string([0x04, 0x67]))
        XCTAssertEqual(try single(#""\0\101\377\1234""#), .string([0x00, 0x41, 0xFF, 0x53, 0x34]))
        XCTAssertEqual(try single(#""\n\t\r\a\b\f\v""#), .string([0x0A, 0x09, 0x0D, 0x07, 0x08, 0x0C, 0x0B]))
        XCTAssertEqual(try single(#""\\\"\'\?""#), .string(Array(#"\"'?"#.utf8)))
        XCTAssertEqual(try single(#"'single "quoted"'"#), .string(Array(#"single "quoted""#.utf8)))
        XCTAssertEqual(try single("\"é\""), .string([0xC3, 0xA9]))
        XCTAssertEqual(try single("\"\""), .string([]))
    }

    func testStringErrorsPointAtTheirPosition() {
        XCTAssertEqual(lexError("x \"abc"), "t.proto:1:3: unterminated string literal")
        XCTAssertEqual(lexError("x\n  \"abc\ndef\""), "t.proto:2:3: unterminated string literal")
        XCTAssertEqual(lexError("x 'abc\""), "t.proto:1:3: unterminated string literal")
        XCTAssertEqual(lexError(#""ab\q""#), "t.proto:1:5: invalid escape sequence \"\\q\"")
        XCTAssertEqual(lexError(#""ab\xZZ""#), "t.proto:1:5: invalid \\x escape")
        XCTAssertEqual(lexError(#""\400""#), "t.proto:1:3: octal escape out of range")
    }

    func testCommentsAreSkipped() throws {
        XCTAssertEqual(try kinds("a // b c\n/* d\n e */ f /**/ g"), [.identifier("a"), .identifier("f"), .identifier("g"), .endOfFile])
        XCTAssertEqual(try kinds("a/*x*/b"), [.identifier("a"), .identifier("b"), .endOfFile])
        XCTAssertEqual(try kinds("// only a comment"), [.endOfFile])
        XCTAssertEqual(try kinds("\"// not a comment\""), [.string(Array("// not a comment".utf8)), .endOfFile])
    }

    func testUnterminatedBlockCommentPointsAtItsStart() {
        XCTAssertEqual(lexError("a\n  /* never\n ends"), "t.proto:2:3: unterminated block comment")
        XCTAssertEqual(lexError("/*/"), "t.proto:1:1: unterminated block comment")
    }

    func testLeadingCommentsAttachToTheNextToken() throws {
        let tokens = try Lexer.tokenize("// First line.\n// Second line.\nmessage", file: "t.proto")
        XCTAssertEqual(tokens[0].leadingComment, "First line.\nSecond line.")
        let block = try Lexer.tokenize("/**\n * Doc.\n *   indented\n */\nenum", file: "t.proto")
        XCTAssertEqual(block[0].leadingComment, "Doc.\n  indented")
    }

    func testBlankLineDetachesAComment() throws {
        let tokens = try Lexer.tokenize("// Detached.\n\nmessage", file: "t.proto")
        XCTAssertNil(tokens[0].leadingComment)
        let second = try Lexer.tokenize("// Old.\n\n// New.\nmessage", file: "t.proto")
        XCTAssertEqual(second[0].leadingComment, "New.")
    }

    func testUnexpectedCharacters() {
        XCTAssertEqual(lexError("message A @"), "t.proto:1:11: unexpected character '@'")
        XCTAssertEqual(lexError("#include"), "t.proto:1:1: unexpected character '#'")
        XCTAssertEqual(lexError("a\u{1}"), "t.proto:1:2: unexpected character 0x1")
    }

    func testColumnsCountCharactersNotBytes() {
        XCTAssertEqual(lexError("\"é€\" @"), "t.proto:1:6: unexpected character '@'")
        XCTAssertEqual(lexError("// ünïcode\n\tx @"), "t.proto:2:4: unexpected character '@'")
    }
}
