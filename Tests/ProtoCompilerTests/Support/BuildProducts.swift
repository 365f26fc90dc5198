import Foundation
import XCTest

/// The package's build products (the `hodei-protoc` binary, compiled modules) and a way to
/// run programs. Tests cannot depend on an executable product, so they use what
/// `swift build` / `swift test` put next to the test bundle.
enum BuildProducts {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory holding this test bundle, or `.build/debug` when that cannot be told.
    static var directory: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: bundle.appendingPathComponent("hodei-protoc").path) { return bundle }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    /// The built `hodei-protoc`; throws a message saying how to build it when it is missing.
    static func protoc() throws -> URL {
        let binary = directory.appendingPathComponent("hodei-protoc")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw MissingBuildProduct("hodei-protoc is not built at \(binary.path); run `swift build --product hodei-protoc` (or `swift build --build-tests`) first")
        }
        return binary
    }

    /// Compiled `.swiftmodule`s of the library targets, for type-checking generated code.
    static func modules() throws -> URL {
        let modules = directory.appendingPathComponent("Modules")
        guard FileManager.default.fileExists(atPath: modules.appendingPathComponent("ProtoRuntime.swiftmodule").path) else {
            throw MissingBuildProduct("ProtoRuntime.swiftmodule not found in \(modules.path); build the package first")
        }
        return modules
    }
}

/// Thrown when a build product is missing: XCTest reports it as a failure with this message.
struct MissingBuildProduct: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` to completion in `directory`, capturing its output through files
/// (pipes could fill and block the child).
func runProcess(_ executable: URL, _ arguments: [String], in directory: URL) throws -> ProcessResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out")
    let errURL = scratch.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: try String(contentsOf: outURL, encoding: .utf8),
        stderr: try String(contentsOf: errURL, encoding: .utf8)
    )
}

/// A fresh temporary directory, removed when the test case finishes.
func makeTemporaryDirectory(for testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-protoc-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
