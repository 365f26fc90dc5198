import XCTest
import JobAPI
import ProtoRuntime
import Foundation

final class SmokeTests: XCTestCase {
    func testRoundTrip() throws {
        var log = Hodei_V1_LogEntry()
        log.jobId = "job-1"; log.sequence = 1 << 40; log.line = Array("hello".utf8); log.stream = .stderr
        var ts = Google_Protobuf_Timestamp(); ts.seconds = 1_700_000_000; ts.nanos = 5_000_000
        log.timestamp = ts
        let bytes = log.serializedBytes()
        print(bytes.map { String(format: "%02x", $0) }.joined())
        let back = try Hodei_V1_LogEntry(serializedBytes: bytes)
        XCTAssertEqual(back, log)
        let json = try JSONEncoder().encode(log)
        print(String(decoding: json, as: UTF8.self))
        XCTAssertEqual(try JSONDecoder().decode(Hodei_V1_LogEntry.self, from: json), log)
    }
}
