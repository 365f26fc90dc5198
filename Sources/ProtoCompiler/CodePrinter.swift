/// Accumulates generated Swift source with indentation.
struct CodePrinter {
    private(set) var text = ""
    private var indentation = ""

    mutating func line(_ content: String = "") {
        text += content.isEmpty ? "\n" : indentation + content + "\n"
    }

    /// Prints `header {`, the body one level deeper, then `}` (plus `trailer`).
    mutating func block(_ header: String, trailer: String = "", _ body: (inout CodePrinter) -> Void) {
        line(header + " {")
        indent()
        body(&self)
        outdent()
        line("}" + trailer)
    }

    mutating func indent() { indentation += "    " }

    mutating func outdent() { indentation.removeLast(4) }

    /// A `///` documentation comment from a `.proto` comment.
    mutating func doc(_ comment: String?) {
        guard let comment, !comment.isEmpty else { return }
        // Any line break (CR, LF, CRLF, U+2028...) must start a new `///` line, or the rest of
        // the comment would be compiled as code.
        for commentLine in comment.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            line(commentLine.isEmpty ? "///" : "/// " + commentLine)
        }
    }
}
