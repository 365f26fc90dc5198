/// One lexical token of a `.proto` file.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        /// An integer literal; `text` keeps the spelling for error messages.
        case integer(UInt64)
        case float(Double)
        /// A string literal with escapes resolved, as raw bytes (strings may hold any byte).
        case string([UInt8])
        case symbol(Character)
        case endOfFile
    }

    let kind: Kind
    let location: SourceLocation
    /// The comment block directly above this token (for documentation), if any.
    let leadingComment: String?

    var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    func isSymbol(_ char: Character) -> Bool { kind == .symbol(char) }

    func isKeyword(_ word: String) -> Bool { kind == .identifier(word) }

    var spelling: String {
        switch kind {
        case .identifier(let name): return "\"\(name)\""
        case .integer(let value): return "\"\(value)\""
        case .float(let value): return "\"\(value)\""
        case .string: return "string literal"
        case .symbol(let char): return "\"\(char)\""
        case .endOfFile: return "end of file"
        }
    }
}
