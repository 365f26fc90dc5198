/// Finds, reads and parses a set of `.proto` files and everything they import.
///
/// Import paths are searched in order, as protoc does with `-I`. Files are keyed by their
/// path relative to the import root (`hodei/v1/job.proto`).
struct SourceLoader {
    /// Reads a file from disk (or from memory in tests); nil if it does not exist.
    typealias ReadFile = (_ diskPath: String) -> String?

    let importPaths: [String]
    let readFile: ReadFile
    private(set) var files: [String: ProtoFileAST] = [:]
    /// Load order: dependencies before dependents.
    private(set) var order: [String] = []

    init(importPaths: [String], readFile: @escaping ReadFile) {
        self.importPaths = importPaths.isEmpty ? ["."] : importPaths
        self.readFile = readFile
    }

    /// Loads `path` (relative to an import root) and its imports; `importedAt` is where it was imported.
    mutating func load(_ path: String, importedAt: SourceLocation?, chain: [String] = []) throws(CompileError) {
        if files[path] != nil { return }
        if let cycleStart = chain.firstIndex(of: path) {
            let cycle = (chain[cycleStart...] + [path]).joined(separator: " -> ")
            throw CompileError("file recursively imports itself: \(cycle)", at: importedAt ?? SourceLocation(file: path, line: 1, column: 1))
        }
        guard let (diskPath, source) = find(path) else {
            if let importedAt {
                throw CompileError("import \"\(path)\" was not found in the import paths (\(importPaths.joined(separator: ", ")))", at: importedAt)
            }
            throw CompileError("file not found in the import paths (\(importPaths.joined(separator: ", ")))", at: SourceLocation(file: path, line: 1, column: 1))
        }
        let ast = try Parser.parse(source: source, path: diskPath)
        for dependency in ast.imports {
            try load(dependency.path, importedAt: dependency.location, chain: chain + [path])
        }
        var stored = ast
        stored.path = path
        files[path] = stored
        order.append(path)
        diskPaths[path] = diskPath
    }

    private(set) var diskPaths: [String: String] = [:]

    private func find(_ path: String) -> (String, String)? {
        for root in importPaths {
            let diskPath = root == "." ? path : (root.hasSuffix("/") ? root + path : root + "/" + path)
            if let source = readFile(diskPath) { return (diskPath, source) }
        }
        return nil
    }

    /// The path of `diskPath` relative to the first import root that contains it, as protoc maps inputs.
    func virtualPath(forInput diskPath: String) -> String? {
        var candidate = diskPath
        while candidate.hasPrefix("./") { candidate.removeFirst(2) }
        for root in importPaths {
            var prefix = root
            while prefix.hasPrefix("./") { prefix.removeFirst(2) }
            if prefix == "." || prefix.isEmpty { return candidate }
            if !prefix.hasSuffix("/") { prefix += "/" }
            if candidate.hasPrefix(prefix) { return String(candidate.dropFirst(prefix.count)) }
        }
        return nil
    }
}
