/// Parses the tokens of one `.proto` file into a ``ProtoFileAST``.
///
/// Accepts proto3 as protoc does; proto2-only constructs (required, groups, extensions,
/// defaults, proto2 syntax) are rejected with an error at their position.
struct Parser {
    var tokens: [Token]
    var index = 0
    let path: String
    var messageDepth = 0
    static let maxMessageDepth = 64

    init(tokens: [Token], path: String) {
        self.tokens = tokens
        self.path = path
    }

    static func parse(source: String, path: String) throws(CompileError) -> ProtoFileAST {
        var parser = Parser(tokens: try Lexer.tokenize(source, file: path), path: path)
        return try parser.parseFile()
    }

    // MARK: Token helpers

    var current: Token { tokens[index] }

    func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func error(_ message: String, _ token: Token? = nil) -> CompileError {
        CompileError(message, at: (token ?? current).location)
    }

    mutating func expect(_ symbol: Character, _ context: String = "") throws(CompileError) {
        guard current.isSymbol(symbol) else {
            throw error("expected \"\(symbol)\"\(context.isEmpty ? "" : " " + context), found \(current.spelling)")
        }
        _ = advance()
    }

    mutating func accept(_ symbol: Character) -> Bool {
        if current.isSymbol(symbol) {
            _ = advance()
            return true
        }
        return false
    }

    mutating func expectIdentifier(_ what: String) throws(CompileError) -> String {
        guard let name = current.identifier else { throw error("expected \(what), found \(current.spelling)") }
        _ = advance()
        return name
    }

    /// `a.b.c`, optionally with a leading dot (fully qualified).
    mutating func expectFullIdentifier(_ what: String) throws(CompileError) -> String {
        var name = accept(".") ? "." : ""
        name += try expectIdentifier(what)
        while current.isSymbol(".") {
            _ = advance()
            name += "." + (try expectIdentifier(what))
        }
        return name
    }

    mutating func expectString(_ what: String) throws(CompileError) -> String {
        guard case .string(var bytes) = current.kind else { throw error("expected \(what), found \(current.spelling)") }
        let start = current
        _ = advance()
        // Adjacent literals concatenate, as in C.
        while case .string(let more) = current.kind {
            bytes += more
            _ = advance()
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw error("\(what) is not valid UTF-8", start) }
        return text
    }

    mutating func expectInteger(_ what: String) throws(CompileError) -> (negative: Bool, magnitude: UInt64) {
        let negative = accept("-")
        guard case .integer(let value) = current.kind else { throw error("expected \(what), found \(current.spelling)") }
        _ = advance()
        return (negative, value)
    }

    // MARK: File

    mutating func parseFile() throws(CompileError) -> ProtoFileAST {
        var file = ProtoFileAST(path: path)
        try parseSyntax()
        var sawPackage = false
        while current.kind != .endOfFile {
            let token = current
            switch token.identifier {
            case "import":
                _ = advance()
                var kind = ImportAST.Kind.normal
                if current.isKeyword("public") { kind = .public; _ = advance() } else if current.isKeyword("weak") { kind = .weak; _ = advance() }
                let importPath = try expectString("import path")
                try expect(";", "after import")
                file.imports.append(ImportAST(path: importPath, kind: kind, location: token.location))
            case "package":
                guard !sawPackage else { throw error("multiple package declarations", token) }
                sawPackage = true
                _ = advance()
                let name = try expectFullIdentifier("package name")
                guard !name.hasPrefix(".") else { throw error("package name must not start with \".\"", token) }
                file.package = name
                try expect(";", "after package name")
            case "option":
                file.options.append(try parseOptionStatement())
            case "message":
                file.messages.append(try parseMessage())
            case "enum":
                file.enums.append(try parseEnum())
            case "service":
                file.services.append(try parseService())
            case "extend":
                throw error("extensions are not supported in proto3 (\"extend\" is proto2-only)")
            case "syntax":
                throw error("syntax must be the first statement of the file")
            case "edition":
                throw error("editions are not supported; use syntax = \"proto3\"")
            default:
                if accept(";") { continue }
                throw error("expected a top-level statement (import, package, option, message, enum, service), found \(token.spelling)")
            }
        }
        return file
    }

    mutating func parseSyntax() throws(CompileError) {
        if current.isKeyword("edition") {
            throw error("editions are not supported; use syntax = \"proto3\"")
        }
        guard current.isKeyword("syntax") else {
            throw error("no syntax statement: files without one are proto2, which is not supported; add syntax = \"proto3\";")
        }
        _ = advance()
        try expect("=", "after syntax")
        let literal = current
        let syntax = try expectString("syntax name")
        guard syntax == "proto3" else {
            throw error(syntax == "proto2" ? "proto2 is not supported; only syntax = \"proto3\" is" : "unknown syntax \"\(syntax)\"", literal)
        }
        try expect(";", "after syntax statement")
    }

    // MARK: Options

    /// `option name = value;`
    mutating func parseOptionStatement() throws(CompileError) -> OptionAST {
        let start = advance()
        var option = try parseOptionBody()
        option.location = start.location
        try expect(";", "after option")
        return option
    }

    /// `name = value`, for statements and `[...]` lists.
    mutating func parseOptionBody() throws(CompileError) -> OptionAST {
        let start = current
        var name = ""
        if accept("(") {
            name = "(" + (try expectFullIdentifier("option name")) + ")"
            try expect(")", "after extension option name")
        } else {
            name = try expectIdentifier("option name")
        }
        while accept(".") {
            if accept("(") {
                name += ".(" + (try expectFullIdentifier("option name")) + ")"
                try expect(")", "after extension option name")
            } else {
                name += "." + (try expectIdentifier("option name"))
            }
        }
        try expect("=", "after option name")
        let value = try parseOptionValue()
        return OptionAST(name: name, value: value, location: start.location)
    }

    mutating func parseOptionValue() throws(CompileError) -> OptionAST.Value {
        if current.isSymbol("{") {
            try skipAggregate()
            return .aggregate
        }
        let negative = accept("-")
        if !negative { _ = accept("+") }
        switch current.kind {
        case .integer(let value):
            _ = advance()
            return .integer(negative: negative, magnitude: value)
        case .float(let value):
            _ = advance()
            return .float(negative ? -value : value)
        case .identifier(let name):
            if negative, name == "inf" || name == "nan" {
                _ = advance()
                return .float(name == "inf" ? -.infinity : .nan)
            }
            guard !negative else { throw error("expected a number after \"-\"") }
            return .identifier(try expectFullIdentifier("option value"))
        case .string:
            guard !negative else { throw error("expected a number after \"-\"") }
            let start = current
            var bytes: [UInt8] = []
            while case .string(let more) = current.kind {
                bytes += more
                _ = advance()
            }
            _ = start
            return .string(bytes)
        default:
            throw error("expected an option value, found \(current.spelling)")
        }
    }

    /// Skips a text-format `{ ... }` block (custom option aggregates), balancing braces.
    mutating func skipAggregate() throws(CompileError) {
        let open = current
        var depth = 0
        repeat {
            if current.kind == .endOfFile { throw error("unterminated option aggregate", open) }
            if current.isSymbol("{") { depth += 1 }
            if current.isSymbol("}") { depth -= 1 }
            _ = advance()
        } while depth > 0
    }

    /// `[a = 1, b = "x"]` after a field or enum value; empty when absent.
    mutating func parseOptionList() throws(CompileError) -> [OptionAST] {
        guard accept("[") else { return [] }
        var options: [OptionAST] = []
        repeat {
            options.append(try parseOptionBody())
        } while accept(",")
        try expect("]", "to close the option list")
        return options
    }

    // MARK: Reserved

    /// `reserved 2, 15, 9 to 11;` or `reserved "foo", "bar";`; numbers must lie in `min...max`.
    mutating func parseReserved(ranges: inout [ClosedRange<Int>], names: inout [String], min: Int, max: Int) throws(CompileError) {
        _ = advance()
        if case .string = current.kind {
            repeat {
                names.append(try expectString("reserved name"))
            } while accept(",")
        } else if current.identifier != nil {
            throw error("reserved names must be string literals in proto3")
        } else {
            repeat {
                let rangeStart = current
                let (negative, low) = try expectInteger("reserved number")
                let lowValue = try signed(negative, low, current)
                var highValue = lowValue
                if current.isKeyword("to") {
                    _ = advance()
                    if current.isKeyword("max") {
                        _ = advance()
                        highValue = max
                    } else {
                        let (highNegative, high) = try expectInteger("reserved range end")
                        highValue = try signed(highNegative, high, current)
                    }
                }
                guard highValue >= lowValue else { throw error("reserved range end is before its start", rangeStart) }
                guard lowValue >= min, highValue <= max else { throw error("reserved numbers must be between \(min) and \(max)", rangeStart) }
                ranges.append(lowValue...highValue)
            } while accept(",")
        }
        try expect(";", "after reserved")
    }

    func signed(_ negative: Bool, _ magnitude: UInt64, _ token: Token) throws(CompileError) -> Int {
        guard magnitude <= UInt64(Int32.max) + (negative ? 1 : 0) else { throw error("number out of range", token) }
        return negative ? -Int(magnitude) : Int(magnitude)
    }
}
