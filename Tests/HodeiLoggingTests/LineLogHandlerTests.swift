import Foundation
import HodeiLogging
import Logging
import XCTest

/// The lines of hodei-server and hodei-agent, written through a pipe and read back: swift-log's
/// stream format (time, level, label, metadata sorted by key, source, message), the event's
/// metadata merged into the logger's, and whole lines from concurrent threads.
final class LineLogHandlerTests: XCTestCase {
    func testALineHasTheStreamFormatWithMetadataSortedByKey() throws {
        let pipe = try LinePipe()
        var logger = Logger(label: "hodei.test") { LineLogHandler(label: $0, output: pipe.output) }
        logger[metadataKey: "worker_name"] = "w1"
        logger[metadataKey: "attempt"] = "2"
        logger.info("job started", metadata: ["pid": "42", "job_id": "j-1"], source: "Tests")

        let line = try pipe.readLine()
        let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4} info hodei\.test: attempt=2 job_id=j-1 pid=42 worker_name=w1 \[Tests\] job started$"#
        XCTAssertNotNil(line.range(of: pattern, options: .regularExpression), line)
    }

    func testTheEventsValueWinsOverTheLoggersAndErrorsAreNamed() throws {
        let pipe = try LinePipe()
        var logger = Logger(label: "l") { LineLogHandler(label: $0, output: pipe.output) }
        logger[metadataKey: "state"] = "old"
        logger[metadataKey: "zone"] = "z"
        logger.warning("changed", error: SampleError(), metadata: ["state": "new"], source: "S")

        let line = try pipe.readLine()
        XCTAssertTrue(
            line.hasSuffix(#" warning l: error.message=sample failure error.type=HodeiLoggingTests.SampleError state=new zone=z [S] changed"#),
            line)
    }

    func testNoMetadataLeavesNoGapAndTheProviderAddsItsOwn() throws {
        let pipe = try LinePipe()
        let bare = Logger(label: "l") { LineLogHandler(label: $0, output: pipe.output) }
        bare.notice("plain", source: "S")
        XCTAssertTrue(try pipe.readLine().hasSuffix(" notice l: [S] plain"))

        let provider = Logger.MetadataProvider { ["request": "r-9"] }
        let provided = Logger(label: "l") { LineLogHandler(label: $0, output: pipe.output, metadataProvider: provider) }
        provided.error("failed", source: "S")
        XCTAssertTrue(try pipe.readLine().hasSuffix(" error l: request=r-9 [S] failed"))
    }

    func testMessagesBelowTheLevelAreNotWritten() throws {
        let pipe = try LinePipe()
        var logger = Logger(label: "l") { LineLogHandler(label: $0, output: pipe.output) }
        logger.logLevel = .warning
        logger.info("dropped", source: "S")
        logger.warning("kept", source: "S")
        XCTAssertTrue(try pipe.readLine().hasSuffix(" warning l: [S] kept"))
    }

    func testLinesFromConcurrentThreadsStayWhole() throws {
        let pipe = try LinePipe()
        let logger = Logger(label: "l") { LineLogHandler(label: $0, output: pipe.output) }
        let perThread = 200
        // The writers run beside this reader: 800 lines are more than a pipe holds.
        let writers = DispatchGroup()
        for thread in 0..<4 {
            DispatchQueue.global().async(group: writers) {
                for index in 0..<perThread {
                    logger.info("line", metadata: ["thread": "\(thread)", "index": "\(index)", "pad": "\(String(repeating: "x", count: 300))"], source: "S")
                }
            }
        }
        defer { _ = writers.wait(timeout: .now() + 5) }
        var seen = Set<String>()
        for _ in 0..<(4 * perThread) {
            let line = try pipe.readLine()
            XCTAssertNotNil(line.range(of: #"^\S+ info l: index=\d+ pad=x{300} thread=\d \[S\] line$"#, options: .regularExpression), line)
            seen.insert(line.components(separatedBy: " ").filter { $0.hasPrefix("index=") || $0.hasPrefix("thread=") }.joined(separator: " "))
        }
        XCTAssertEqual(seen.count, 4 * perThread, "every line arrived once")
    }
}

struct SampleError: Error, CustomStringConvertible {
    var description: String { "sample failure" }
}

/// A pipe whose write end a LineOutput writes to; lines are read back from the other end.
private final class LinePipe {
    let output: LineOutput
    private let pipe = Pipe()
    private var pending: [UInt8] = []

    init() throws {
        output = LineOutput(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
    }

    /// The next line, without its newline; throws when none comes within 5 s.
    func readLine() throws -> String {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(5)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&waiting, 1, left) == 1 else { throw LinePipeError.noLine(after: pending.count) }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { throw LinePipeError.noLine(after: pending.count) }
            pending.append(contentsOf: chunk[..<count])
        }
    }
}

private enum LinePipeError: Error {
    /// No complete line within 5 s; `after` bytes of an incomplete one were read.
    case noLine(after: Int)
}
