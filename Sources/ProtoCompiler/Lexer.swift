/// Splits `.proto` source text into tokens, as protoc's tokenizer does.
///
/// Comments are skipped but the block directly above a token is kept as its
/// `leadingComment`, so the generator can carry documentation into Swift.
struct Lexer {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1

    init(source: String, file: String) {
        self.bytes = Array(source.utf8)
        self.file = file
    }

    /// Tokenizes the whole input, ending with an `.endOfFile` token.
    static func tokenize(_ source: String, file: String) throws(CompileError) -> [Token] {
        var lexer = Lexer(source: source, file: file)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .endOfFile { return tokens }
        }
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if bytes[index] & 0xC0 != 0x80 {
            // Count characters, not UTF-8 continuation bytes.
            column += 1
        }
        index += 1
    }

    mutating func next() throws(CompileError) -> Token {
        let comment = try skipWhitespaceAndComments()
        let start = location
        guard let char = peek() else {
            return Token(kind: .endOfFile, location: start, leadingComment: nil)
        }
        let kind: Token.Kind
        if Lexer.isLetter(char) {
            kind = .identifier(readWhile { Lexer.isLetter($0) || Lexer.isDigit($0) })
        } else if Lexer.isDigit(char) || (char == UInt8(ascii: ".") && peek(1).map(Lexer.isDigit) == true) {
            kind = try readNumber(start)
        } else if char == UInt8(ascii: "\"") || char == UInt8(ascii: "'") {
            kind = .string(try readString(start))
        } else if char < 0x80, "{}()[]<>;,=.-+:/".utf8.contains(char) {
            advance()
            kind = .symbol(Character(Unicode.Scalar(char)))
        } else {
            throw CompileError("unexpected character \(describe(char))", at: start)
        }
        return Token(kind: kind, location: start, leadingComment: comment)
    }

    private func describe(_ char: UInt8) -> String {
        char >= 0x20 && char < 0x7F ? "'\(Character(Unicode.Scalar(char)))'" : "0x" + String(char, radix: 16)
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_")
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private mutating func readWhile(_ predicate: (UInt8) -> Bool) -> String {
        let start = index
        while let c = peek(), predicate(c) { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips blanks and comments; returns the comment block that ends right above the next token.
    private mutating func skipWhitespaceAndComments() throws(CompileError) -> String? {
        var comment: [String] = []
        var blankLineSinceComment = false
        while let c = peek() {
            if c == UInt8(ascii: "\n") {
                advance()
                // Two newlines in a row separate a comment from the declaration below.
                var probe = index
                while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") || bytes[probe] == UInt8(ascii: "\r") { probe += 1 }
                if probe < bytes.count, bytes[probe] == UInt8(ascii: "\n"), !comment.isEmpty { blankLineSinceComment = true }
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == 0x0B || c == 0x0C {
                advance()
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                if blankLineSinceComment { comment = []; blankLineSinceComment = false }
                advance(); advance()
                var text = readWhile { $0 != UInt8(ascii: "\n") }
                if text.hasSuffix("\r") { text.removeLast() } // CRLF line ends
                comment.append(text.hasPrefix(" ") ? String(text.dropFirst()) : text)
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                if blankLineSinceComment { comment = []; blankLineSinceComment = false }
                let start = location
                advance(); advance()
                let bodyStart = index
                while !(peek() == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    guard peek() != nil else { throw CompileError("unterminated block comment", at: start) }
                    advance()
                }
                let body = String(decoding: bytes[bodyStart..<index], as: UTF8.self)
                advance(); advance()
                for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
                    var text = rawLine.drop { $0 == " " || $0 == "\t" }
                    if text.hasPrefix("*") { text = text.dropFirst() }
                    if text.hasPrefix(" ") { text = text.dropFirst() }
                    comment.append(String(text))
                }
                while comment.last?.isEmpty == true { comment.removeLast() }
                while comment.first?.isEmpty == true { comment.removeFirst() }
            } else {
                break
            }
        }
        if blankLineSinceComment || comment.isEmpty { return nil }
        return comment.joined(separator: "\n")
    }

    private mutating func readNumber(_ start: SourceLocation) throws(CompileError) -> Token.Kind {
        let text = readWhile { Lexer.isLetter($0) || Lexer.isDigit($0) || $0 == UInt8(ascii: ".") }
        var full = text
        // An exponent sign: 1e-5, 2.5E+10.
        if let last = text.last, last == "e" || last == "E", !text.hasPrefix("0x"), !text.hasPrefix("0X"),
           let sign = peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            advance()
            full += String(Character(Unicode.Scalar(sign))) + readWhile { Lexer.isDigit($0) }
        }
        let lower = full.lowercased()
        if lower.hasPrefix("0x") {
            guard let value = UInt64(lower.dropFirst(2), radix: 16) else {
                throw CompileError("invalid hexadecimal integer \"\(full)\"", at: start)
            }
            return .integer(value)
        }
        if lower.contains(".") || ((lower.contains("e")) && !lower.hasPrefix("0x")) || lower.hasSuffix("f") {
            let body = lower.hasSuffix("f") ? String(lower.dropLast()) : lower
            guard let value = Double(body) else { throw CompileError("invalid number \"\(full)\"", at: start) }
            return .float(value)
        }
        if lower.count > 1, lower.hasPrefix("0") {
            guard let value = UInt64(lower.dropFirst(), radix: 8) else {
                throw CompileError("invalid octal integer \"\(full)\"", at: start)
            }
            return .integer(value)
        }
        guard let value = UInt64(lower) else {
            throw CompileError(lower.allSatisfy(\.isNumber) ? "integer \"\(full)\" is out of range" : "invalid number \"\(full)\"", at: start)
        }
        return .integer(value)
    }

    private mutating func readString(_ start: SourceLocation) throws(CompileError) -> [UInt8] {
        let quote = bytes[index]
        advance()
        var out: [UInt8] = []
        while true {
            guard let c = peek(), c != UInt8(ascii: "\n") else {
                throw CompileError("unterminated string literal", at: start)
            }
            advance()
            if c == quote { return out }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                continue
            }
            let escapeLocation = location
            guard let e = peek() else { throw CompileError("unterminated string literal", at: start) }
            advance()
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "?"): out.append(e)
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                var value = 0
                var digits = 0
                while digits < 2, let h = peek(), let d = hexValue(h) {
                    value = value * 16 + d
                    digits += 1
                    advance()
                }
                guard digits > 0 else { throw CompileError("invalid \\x escape", at: escapeLocation) }
                out.append(UInt8(value))
            case 48...55:
                var value = Int(e - 48)
                var digits = 1
                while digits < 3, let o = peek(), o >= 48, o <= 55 {
                    value = value * 8 + Int(o - 48)
                    digits += 1
                    advance()
                }
                guard value <= 255 else { throw CompileError("octal escape out of range", at: escapeLocation) }
                out.append(UInt8(value))
            default:
                throw CompileError("invalid escape sequence \"\\\(Character(Unicode.Scalar(e)))\"", at: escapeLocation)
            }
        }
    }

    private func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c - 48)
        case 97...102: return Int(c - 87)
        case 65...70: return Int(c - 55)
        default: return nil
        }
    }
}
