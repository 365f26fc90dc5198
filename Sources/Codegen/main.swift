// hodei-protoc: compiles .proto files into Swift types (see ProtoCompiler).
//
//   hodei-protoc -I DIR [-I DIR...] --swift_out=OUTDIR [--swift_opt=Name=Value...] FILE.proto...

import ArgumentParser
import Foundation
import ProtoCompiler

struct HodeiProtoc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei-protoc",
        abstract: "Compile proto3 files into Swift Codable types with protobuf binary coding.",
        discussion: "Errors are printed as file:line:col: message; the exit status is non-zero on any error."
    )

    @Option(name: [.customShort("I", allowingJoined: true), .customLong("proto_path")], help: ArgumentHelp("A directory to search for imports (repeatable).", valueName: "DIR"))
    var importPaths: [String] = []

    @Option(name: .customLong("swift_out"), help: ArgumentHelp("The directory to write .swift files into.", valueName: "OUTDIR"))
    var outputDirectory: String

    @Option(name: .customLong("swift_opt"), help: "Generator option: Visibility=Public|Internal, FileNaming=FullPath|PathToUnderscores, ImportRuntime=true|false, Import=Module.")
    var generatorOptions: [String] = []

    @Argument(help: "The .proto files to compile.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("no input files") }
    }

    func run() throws {
        var options = GeneratorOptions()
        for option in generatorOptions {
            if let problem = options.apply(option) { throw ValidationError(problem) }
        }
        let generated: [ProtoSwiftCompiler.GeneratedFile]
        do {
            generated = try ProtoSwiftCompiler.compile(inputs: files, importPaths: importPaths, options: options, readFile: Self.readFile)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        let manager = FileManager.default
        for file in generated {
            let url = URL(fileURLWithPath: outputDirectory).appendingPathComponent(file.name)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Leave unchanged files alone so builds that watch timestamps don't redo work.
            if let existing = manager.contents(atPath: url.path), existing == Data(file.contents.utf8) { continue }
            try Data(file.contents.utf8).write(to: url, options: .atomic)
        }
    }

    static func readFile(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

HodeiProtoc.main()
