import Foundation
import XCTest
@testable import Server

/// Ids: a prefix, 12 hex digits of Unix milliseconds, 8 random hex digits.
final class IdentifiersTests: XCTestCase {
    func testAJobIdIsThePrefixThenTheTimeThenRandomDigits() throws {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = Identifiers.job()
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        XCTAssertTrue(id.hasPrefix("j-"), id)
        XCTAssertEqual(id.count, 22, id)
        let digits = id.dropFirst(2)
        XCTAssertTrue(digits.allSatisfy { "0123456789abcdef".contains($0) }, id)
        let milliseconds = try XCTUnwrap(UInt64(digits.prefix(12), radix: 16))
        XCTAssertTrue((before...after).contains(milliseconds), "\(milliseconds) not in \(before)...\(after)")
        XCTAssertTrue(Identifiers.worker().hasPrefix("w-"))
    }

    func testIdsSortByTimeAndDoNotRepeat() throws {
        let first = Identifiers.job()
        Thread.sleep(forTimeInterval: 0.003)
        let later = (0..<10_000).map { _ in Identifiers.job() }
        XCTAssertTrue(later.allSatisfy { $0 > first }, "an id made later sorts before \(first)")
        XCTAssertEqual(Set(later).count, later.count)
    }
}
