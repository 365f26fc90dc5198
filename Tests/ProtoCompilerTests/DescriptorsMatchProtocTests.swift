import Foundation
import XCTest

/// The FileDescriptorProtos that generated code embeds (for server reflection) are the ones
/// protoc builds for the same files, compared field by field in Python protobuf.
final class DescriptorsMatchProtocTests: XCTestCase {
    func testEveryEmbeddedDescriptorMatchesProtoc() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Tests/ProtoCompilerTests/Peers/compare_descriptors.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, root.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains(" passed, 0 failed"), text)
        XCTAssertFalse(text.contains("0 passed"), text)
    }
}
