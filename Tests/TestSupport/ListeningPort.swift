import Foundation

/// Why a launched server gave no port.
public struct ServerDidNotStart: Error, CustomStringConvertible {
    public let description: String
}

/// Reads a launched `hodei-server`'s first stdout line ("hodei-server listening on
/// 127.0.0.1:PORT, ...") and returns PORT; waits at most 30 s, and terminates the process
/// when no such line comes.
public func readListeningPort(of process: Process, output: Pipe) throws -> Int {
    var text = ""
    let deadline = Date().addingTimeInterval(30)
    while !text.contains("\n") && Date() < deadline && process.isRunning {
        let data = output.fileHandleForReading.availableData
        if data.isEmpty { break }
        text += String(decoding: data, as: UTF8.self)
    }
    guard let range = text.range(of: "127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
        process.terminate()
        throw ServerDidNotStart(description: "hodei-server did not start: \(text)")
    }
    return port
}
