import XCTest
@testable import WorkerAgent

final class ReconnectBackoffTests: XCTestCase {
    /// A deterministic generator (SplitMix64) so the spread checks cannot flake.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

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
        var generator = SplitMix(state: 42)
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
