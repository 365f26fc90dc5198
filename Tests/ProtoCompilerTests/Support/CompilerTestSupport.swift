import Foundation
@testable import ProtoCompiler
import XCTest

// Helpers that compile in-memory `.proto` sources: keys are paths relative to the single
// import root ".", so error locations read "test.proto:line:col".

/// Compiles `inputs` out of `files`; the outcome as a comparable value.
func compile(
    _ files: [String: String],
    inputs: [String] = ["test.proto"],
    importPaths: [String] = ["."],
    options: GeneratorOptions = GeneratorOptions()
) -> Result<[ProtoSwiftCompiler.GeneratedFile], CompileError> {
    do throws(CompileError) {
        return .success(try ProtoSwiftCompiler.compile(inputs: inputs, importPaths: importPaths, options: options) { path in
            // Like a file system, "./x" names the same file as "x".
            var key = path
            while key.hasPrefix("./") { key.removeFirst(2) }
            return files[key]
        })
    } catch {
        return .failure(error)
    }
}

/// The compile error for `source` (as test.proto), printed `file:line:col: message`, or nil.
func compileError(_ source: String) -> String? {
    compileError(["test.proto": source])
}

func compileError(_ files: [String: String], inputs: [String] = ["test.proto"]) -> String? {
    if case .failure(let error) = compile(files, inputs: inputs) { return error.description }
    return nil
}

/// The Swift generated for `source` (as test.proto); fails the test on a compile error.
func generatedSwift(
    _ source: String,
    options: GeneratorOptions = GeneratorOptions(),
    file: StaticString = #filePath,
    line: UInt = #line
) -> String {
    switch compile(["test.proto": source], options: options) {
    case .success(let outputs):
        XCTAssertEqual(outputs.count, 1, file: file, line: line)
        return outputs.first?.contents ?? ""
    case .failure(let error):
        XCTFail("compile failed: \(error)", file: file, line: line)
        return ""
    }
}

/// Resolves `main` (and what it imports) into its descriptor.
func resolvedFile(_ files: [String: String], main: String = "test.proto") -> Result<FileDescriptor, CompileError> {
    do throws(CompileError) {
        var loader = SourceLoader(importPaths: ["."]) { files[$0] }
        try loader.load(main, importedAt: nil)
        var resolver = try Resolver(files: loader.files, order: loader.order)
        return .success(try resolver.resolveFile(main))
    } catch {
        return .failure(error)
    }
}

/// Asserts that `text` contains each of `lines`, trimmed, as a whole line.
func assertContainsLines(_ text: String, _ lines: [String], file: StaticString = #filePath, line: UInt = #line) {
    let present = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
    for expected in lines where !present.contains(expected) {
        XCTFail("generated code has no line \"\(expected)\"", file: file, line: line)
    }
}

extension FileDescriptor {
    /// The message with protobuf full name `fullName`, searching nested messages too.
    func message(_ fullName: String) -> MessageDescriptor? {
        func search(_ messages: [MessageDescriptor]) -> MessageDescriptor? {
            for message in messages {
                if message.fullName == fullName { return message }
                if let found = search(message.messages) { return found }
            }
            return nil
        }
        return search(messages)
    }

    /// The resolved type of field `field` of message `message`.
    func fieldType(_ message: String, _ field: String) -> FieldType? {
        self.message(message)?.fields.first { $0.name == field }?.type
    }
}

let proto3Header = "syntax = \"proto3\";\n"
