@testable import RPCTransportHTTP2
import XCTest

/// When received bytes go back as window: the pure accounting of `InboundWindow`.
final class InboundWindowTests: XCTestCase {
    func testBytesNobodyQueuesGoBackAtOnce() {
        var window = InboundWindow()
        window.arrive(1_000) // a unary request, or a message handed to a waiting reader
        XCTAssertEqual(window.settle(), 1_000)
        XCTAssertEqual(window.held, 0)
    }

    func testQueuedMessagesGoBackAsTheyAreTaken() {
        var window = InboundWindow()
        window.arrive(300)
        window.queue(100)
        window.queue(100)
        XCTAssertEqual(window.settle(), 0, "messages wait: nothing goes back")
        window.arrive(50) // part of a third message, arriving behind the queue
        XCTAssertEqual(window.settle(), 0, "held while the reader is behind")
        XCTAssertEqual(window.take(100), 100)
        XCTAssertEqual(window.take(100), 250, "the take that empties the queue releases the partial bytes too")
        XCTAssertEqual(window.held, 0)
        window.arrive(60) // the rest of the third message, while the queue is empty
        XCTAssertEqual(window.settle(), 60, "a message being assembled never waits for window (no deadlock)")
    }

    func testReleaseAllReturnsEverythingOnceAndIgnoresLaterTakes() {
        var window = InboundWindow()
        window.arrive(500)
        window.queue(200)
        window.queue(200)
        XCTAssertEqual(window.settle(), 0)
        XCTAssertEqual(window.take(200), 200)
        XCTAssertEqual(window.releaseAll(), 300)
        XCTAssertEqual(window.take(200), 0, "a take reported after the release gives nothing back twice")
        XCTAssertEqual(window.releaseAll(), 0)
    }

    func testEveryByteGoesBackExactlyOnce() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var window = InboundWindow()
            var arrived = 0, given = 0
            var queue: [Int] = []
            for _ in 0..<50 {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    let count = Int.random(in: 1...100, using: &rng)
                    window.arrive(count)
                    arrived += count
                    // Some of what arrived forms queued messages (never more than arrived).
                    let size = Int.random(in: 0...count, using: &rng)
                    if size > 0 {
                        window.queue(size)
                        queue.append(size)
                    }
                    given += window.settle()
                case 1 where !queue.isEmpty:
                    given += window.take(queue.removeFirst())
                default:
                    break
                }
                XCTAssertLessThanOrEqual(window.queued, window.held)
            }
            given += window.releaseAll()
            XCTAssertEqual(given, arrived)
        }
    }
}
