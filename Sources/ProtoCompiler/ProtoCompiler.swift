/// The schema compiler as a library: `.proto` files in, Swift sources out.
public enum ProtoSwiftCompiler {
    /// One generated Swift file.
    public struct GeneratedFile: Sendable, Equatable {
        /// The output path relative to the output directory.
        public var name: String
        public var contents: String
    }

    /// Compiles `inputs` (paths as given on the command line, each under an import path).
    ///
    /// - Parameters:
    ///   - readFile: reads a file by disk path; nil when it does not exist.
    /// - Returns: one file per input, in input order.
    /// - Throws: the first ``CompileError``, located at `file:line:col`.
    public static func compile(
        inputs: [String],
        importPaths: [String],
        options: GeneratorOptions,
        readFile: @escaping (String) -> String?
    ) throws(CompileError) -> [GeneratedFile] {
        var loader = SourceLoader(importPaths: importPaths, readFile: readFile)
        var virtualPaths: [String] = []
        for input in inputs {
            guard let virtual = loader.virtualPath(forInput: input) else {
                throw CompileError("input file is not under any import path (-I \(importPaths.joined(separator: " -I ")))", at: SourceLocation(file: input, line: 1, column: 1))
            }
            try loader.load(virtual, importedAt: nil)
            virtualPaths.append(virtual)
        }
        var resolver = try Resolver(files: loader.files, order: loader.order)
        // Every loaded file is resolved, so that types from imports have Swift names.
        var descriptors: [String: FileDescriptor] = [:]
        for path in loader.order {
            var descriptor = try resolver.resolveFile(path)
            CycleAnalysis.markBoxedFields(in: &descriptor)
            descriptors[path] = descriptor
        }
        let types = typeLookup(descriptors.values)
        let emitter = FileEmitter(types: types, options: options)
        var seen: Set<String> = []
        return virtualPaths.compactMap { path in
            guard seen.insert(path).inserted else { return nil }
            return GeneratedFile(name: options.outputName(for: path), contents: emitter.emit(descriptors[path]!))
        }
    }

    static func typeLookup(_ files: some Sequence<FileDescriptor>) -> TypeLookup {
        var names: [String: String] = [:]
        var enumDefaults: [String: String] = [:]
        func add(_ enumeration: EnumDescriptor) {
            names[enumeration.fullName] = enumeration.swiftFullName
            enumDefaults[enumeration.fullName] = enumeration.values.first.map { SwiftNaming.escaped($0.swiftName) }
        }
        func add(_ message: MessageDescriptor) {
            names[message.fullName] = message.swiftFullName
            message.messages.forEach(add)
            message.enums.forEach(add)
        }
        for file in files {
            file.messages.forEach(add)
            file.enums.forEach(add)
        }
        return TypeLookup(swiftNames: names, enumDefaults: enumDefaults)
    }
}
