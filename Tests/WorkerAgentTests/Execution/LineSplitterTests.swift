import XCTest
@testable import WorkerAgent

final class LineSplitterTests: XCTestCase {
    private func split(_ chunks: [String], maxChunk: Int) -> [String] {
        var splitter = LineSplitter(maxChunk: maxChunk)
        var pieces: [String] = []
        let emit = { (line: [UInt8], partial: Bool) in pieces.append(String(decoding: line, as: UTF8.self) + (partial ? "+" : "")) }
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { splitter.feed($0, emit) }
        }
        splitter.finish(emit)
        return pieces
    }

    func testLinesWithoutNewlines() {
        XCTAssertEqual(split(["a\nbb\n\nccc"], maxChunk: 100), ["a", "bb", "", "ccc"])
        XCTAssertEqual(split(["a\n"], maxChunk: 100), ["a"])
        XCTAssertEqual(split([""], maxChunk: 100), [])
    }

    func testLinesAcrossFeeds() {
        XCTAssertEqual(split(["ab", "c\nd", "e", "\n"], maxChunk: 100), ["abc", "de"])
        // Byte by byte.
        XCTAssertEqual(split("hello\nworld\n".map { String($0) }, maxChunk: 100), ["hello", "world"])
    }

    func testSplittingAtTheLimit() {
        XCTAssertEqual(split(["1234\n"], maxChunk: 4), ["1234"])
        XCTAssertEqual(split(["12345\n"], maxChunk: 4), ["1234+", "5"])
        XCTAssertEqual(split(["12345678\n"], maxChunk: 4), ["1234+", "5678"])
        XCTAssertEqual(split(["123456789"], maxChunk: 4), ["1234+", "5678+", "9"])
        XCTAssertEqual(split(["12", "34", "56", "78", "9\nab\n"], maxChunk: 4), ["1234+", "5678+", "9", "ab"])
    }

    func testPendingBytesStayBounded() {
        var splitter = LineSplitter(maxChunk: 8)
        var emitted = 0
        for _ in 0..<1000 {
            Array("xxxxxxx".utf8).withUnsafeBytes { splitter.feed($0) { _, _ in emitted += 1 } }
            XCTAssertLessThanOrEqual(splitter.pending.count, 8)
        }
        XCTAssertEqual(emitted, 7000 / 8 - 1)
        XCTAssertEqual(splitter.pending.count, 8, "a piece is cut only once more bytes follow")
    }
}
