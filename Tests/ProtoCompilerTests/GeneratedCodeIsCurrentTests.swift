import Foundation
import ProtoCompiler
import XCTest

/// Fails when a `.proto` (or the generator) changed but `make generate` was not run:
/// regenerates every job in `Protos/generated-code.args` in memory and compares it with
/// the committed Swift files.
final class GeneratedCodeIsCurrentTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testCommittedGeneratedCodeMatchesTheProtos() throws {
        let manifest = try String(contentsOf: root.appendingPathComponent("Protos/generated-code.args"), encoding: .utf8)
        let jobs = manifest.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }
        XCTAssertFalse(jobs.isEmpty)
        var compared = 0
        for job in jobs {
            let (inputs, importPaths, outputDirectory, options) = try parse(job.split(separator: " ").map(String.init))
            let files = try ProtoSwiftCompiler.compile(inputs: inputs, importPaths: importPaths, options: options) { path in
                let url = self.root.appendingPathComponent(path)
                return try? String(contentsOf: url, encoding: .utf8)
            }
            for file in files {
                let path = outputDirectory + "/" + file.name
                let committed = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
                XCTAssertEqual(committed, file.contents, "\(path) is stale: run `make generate`")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 10)
    }

    private func parse(_ arguments: [String]) throws -> ([String], [String], String, GeneratorOptions) {
        var inputs: [String] = []
        var importPaths: [String] = []
        var output = ""
        var options = GeneratorOptions()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "-I" {
                index += 1
                importPaths.append(arguments[index])
            } else if argument.hasPrefix("--swift_out=") {
                output = String(argument.dropFirst("--swift_out=".count))
            } else if argument.hasPrefix("--swift_opt=") {
                if let problem = options.apply(String(argument.dropFirst("--swift_opt=".count))) { XCTFail(problem) }
            } else {
                inputs.append(argument)
            }
            index += 1
        }
        return (inputs, importPaths, output, options)
    }
}
