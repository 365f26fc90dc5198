import TestSupport
import XCTest
@testable import WorkerAgent

final class ReconnectBackoffTests: XCTestCase {
    func testCeilingDoublesFromTheBaseUpToTheMaximum() {
        let backoff = ReconnectBackoff(base: .milliseconds(200), maximum: .seconds(30))
        XCTAssertEqual(backoff.ceiling(afterFailures: 1), .milliseconds(200))
        XCTAssertEqual(backoff.ceiling(afterFailures: 2), .milliseconds(400))
        XCTAssertEqual(backoff.ceiling(afterFailures: 5), .milliseconds(3200))
        XCTAssertEqual(backoff.ceiling(afterFailures: 8), .milliseconds(25600))
        XCTAssertEqual(backoff.ceiling(afterFailures: 9), .seconds(30))
        XCTAssertEqual(backoff.ceiling(afterFailures: 10_000), .seconds(30))
        XCTAssertEqual(backoff.ceiling(afterFailures: 0), .milliseconds(200))
    }

    func testDelaysStayWithinBoundsAndSpreadOverTheWholeWindow() {
        let backoff = ReconnectBackoff(base: .milliseconds(200), maximum: .seconds(30))
        var generator = SplitMix64(seed: 42)
        for failures in [1, 3, 12] {
            let ceiling = backoff.ceiling(afterFailures: failures)
            let delays = (0..<2000).map { _ in backoff.delay(afterFailures: failures, using: &generator) }
            XCTAssertTrue(delays.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Full jitter: a thousand agents do not come back together. Ten equal buckets over
            // [0, ceiling] each get roughly a tenth of the attempts.
            var buckets = [Int](repeating: 0, count: 10)
            for delay in delays { buckets[min(9, Int(delay.inSeconds / ceiling.inSeconds * 10))] += 1 }
            XCTAssertTrue(buckets.allSatisfy { (140...260).contains($0) }, "failures \(failures): \(buckets)")
        }
    }

    func testSystemRandomDelaysDiffer() {
        let backoff = ReconnectBackoff()
        let delays = Set((0..<50).map { _ in backoff.delay(afterFailures: 6) })
        XCTAssertGreaterThan(delays.count, 45)
    }
}
