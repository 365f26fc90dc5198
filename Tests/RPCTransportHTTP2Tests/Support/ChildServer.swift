import Foundation
import TestSupport

/// A server run as a child process for a test (a built executable or a Python peer), on
/// loopback. It prints "listening on [127.0.0.1:]PORT" as its first line.
/// `stop()` must be called (in a `defer`): it resumes a suspended process and kills it.
final class ChildServer {
    let process = Process()
    let port: Int
    private let input = Pipe()

    /// The executables `swift build --build-tests` built, next to the test bundle.
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    struct DidNotStart: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `arguments` (through /usr/bin/env) and reads its port (waits at most 30 s).
    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input // Python peers exit when it closes
        try process.run()
        let port: Int
        do {
            port = try readListeningPort(of: process, output: output)
        } catch {
            throw DidNotStart(description: "\(arguments.joined(separator: " ")): \(error)")
        }
        self.port = port
    }

    /// Freezes the process (SIGSTOP): its sockets stay open, but nothing answers.
    func suspend() { kill(process.processIdentifier, SIGSTOP) }

    func resume() { kill(process.processIdentifier, SIGCONT) }

    func stop() {
        guard process.isRunning else { return }
        resume()
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
