/// A plain-text table: a header row and data rows in columns separated by three spaces, as
/// `kubectl get` prints them.
///
/// Cells are sanitized (control characters become spaces) so that a job name cannot break the
/// layout. When a maximum width is given and the table is wider, the last column is cut,
/// ending in "…", down to ``minimumLastColumnWidth``. No line has trailing spaces.
struct Table {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment = .left
    }

    var columns: [Column]
    var rows: [[String]] = []
    static let separator = "   "
    static let minimumLastColumnWidth = 10

    init(_ columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row; missing cells are empty, extra cells are ignored.
    mutating func append(_ cells: [String]) {
        rows.append((0..<columns.count).map { $0 < cells.count ? Self.sanitize(cells[$0]) : "" })
    }

    /// The table as lines joined by newlines, with a final newline.
    /// - Parameter maxWidth: cut the last column so that lines fit, when set.
    func render(maxWidth: Int? = nil) -> String {
        let allRows = [columns.map(\.title)] + rows
        var widths = columns.indices.map { index in allRows.map { $0[index].count }.max() ?? 0 }
        if let maxWidth, let last = widths.indices.last {
            let others = widths.dropLast().reduce(0, +) + Self.separator.count * (widths.count - 1)
            let room = max(Self.minimumLastColumnWidth, maxWidth - others)
            widths[last] = min(widths[last], room)
        }
        var output = ""
        for row in allRows {
            var line = ""
            for index in columns.indices {
                let isLast = index == columns.count - 1
                let cell = Self.cut(row[index], to: widths[index])
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                switch columns[index].alignment {
                case .left: line += isLast ? cell : cell + padding
                case .right: line += padding + cell
                }
                if !isLast { line += Self.separator }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            output += line + "\n"
        }
        return output
    }

    /// `text` if it fits in `width` characters, else its start and "…".
    static func cut(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }

    /// Replaces tabs, newlines and other control characters with spaces.
    static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }
}
