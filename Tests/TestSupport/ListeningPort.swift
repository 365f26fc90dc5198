import Foundation

/// Why a launched server gave no port.
public struct ServerDidNotStart: Error, CustomStringConvertible {
    public let description: String
}

/// Reads a launched server's first stdout line and returns its port: "hodei-server listening
/// on 127.0.0.1:PORT, ..." or "listening on [HOST:]PORT" (the interop server, test peers);
/// waits at most 30 s, and terminates the process when no such line comes.
public func readListeningPort(of process: Process, output: Pipe) throws -> Int {
    var text = ""
    let deadline = Date().addingTimeInterval(30)
    while !text.contains("\n") && Date() < deadline && process.isRunning {
        let data = output.fileHandleForReading.availableData
        if data.isEmpty { break }
        text += String(decoding: data, as: UTF8.self)
    }
    guard let port = listeningPort(inFirstLineOf: text) else {
        process.terminate()
        process.waitUntilExit()
        throw ServerDidNotStart(description: "\(process.executableURL?.lastPathComponent ?? "server") did not start: \(text)")
    }
    return port
}

private func listeningPort(inFirstLineOf text: String) -> Int? {
    let line = text.split(separator: "\n").first ?? ""
    guard let range = line.range(of: "listening on ") else { return nil }
    let address = line[range.upperBound...].prefix { !$0.isWhitespace && $0 != "," }
    return Int(address.split(separator: ":").last ?? "")
}
