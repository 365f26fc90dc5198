/// Settings of the Swift generator, given on the command line as `--swift_opt=Name=Value`.
public struct GeneratorOptions: Sendable {
    public enum Visibility: String, Sendable { case `public` = "Public", `internal` = "Internal" }

    /// How output files are named: `hodei/v1/job.pb.swift` (default, like protoc) or
    /// `hodei_v1_job.pb.swift` (for SwiftPM targets, where file names must be unique).
    public enum FileNaming: String, Sendable { case fullPath = "FullPath", pathToUnderscores = "PathToUnderscores" }

    public var visibility: Visibility = .public
    public var fileNaming: FileNaming = .fullPath
    /// Off when generating into the runtime module itself (the well-known types).
    public var importRuntime = true
    /// More modules to import, for types generated into other modules.
    public var extraImports: [String] = []

    public init() {}

    /// Applies one `Name=Value` option; returns an error message for an unknown one.
    public mutating func apply(_ option: String) -> String? {
        let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return "swift_opt \"\(option)\" must have the form Name=Value" }
        switch parts[0] {
        case "Visibility":
            guard let value = Visibility(rawValue: parts[1]) else { return "Visibility must be Public or Internal" }
            visibility = value
        case "FileNaming":
            guard let value = FileNaming(rawValue: parts[1]) else { return "FileNaming must be FullPath or PathToUnderscores" }
            fileNaming = value
        case "ImportRuntime":
            guard let value = Bool(parts[1].lowercased()) else { return "ImportRuntime must be true or false" }
            importRuntime = value
        case "Import":
            extraImports.append(parts[1])
        default:
            return "unknown swift_opt \"\(parts[0])\" (known: Visibility, FileNaming, ImportRuntime, Import)"
        }
        return nil
    }

    func outputName(for protoPath: String) -> String {
        let base = protoPath.hasSuffix(".proto") ? String(protoPath.dropLast(6)) : protoPath
        switch fileNaming {
        case .fullPath: return base + ".pb.swift"
        case .pathToUnderscores: return base.replacingOccurrences(of: "/", with: "_") + ".pb.swift"
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
