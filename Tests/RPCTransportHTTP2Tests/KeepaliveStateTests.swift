@testable import RPCTransportHTTP2
import XCTest

/// When a connection sends a keepalive PING and when it gives up: the pure `KeepaliveState`.
final class KeepaliveStateTests: XCTestCase {
    func testAConnectionThatReadRecentlyWaitsForTheRestOfTheInterval() {
        var state = KeepaliveState(interval: .seconds(30), timeout: .seconds(10))
        XCTAssertEqual(state.timerFired(quiet: .seconds(12), mayPing: true), .wait(.seconds(18)))
        XCTAssertFalse(state.awaitingPingAck)
    }

    func testAQuietConnectionIsPingedAndClosedWhenThePingIsNotAnswered() {
        var state = KeepaliveState(interval: .seconds(30), timeout: .seconds(10))
        XCTAssertEqual(state.timerFired(quiet: .seconds(30), mayPing: true), .ping(thenCheckAfter: .seconds(10)))
        XCTAssertTrue(state.awaitingPingAck)
        XCTAssertEqual(state.timerFired(quiet: .seconds(40), mayPing: true), .close)
    }

    func testAnAnsweredPingStartsANewInterval() {
        var state = KeepaliveState(interval: .seconds(30), timeout: .seconds(10))
        XCTAssertNil(state.pingAcknowledged(), "an ACK nobody waits for (the peer's own) changes nothing")
        _ = state.timerFired(quiet: .seconds(31), mayPing: true)
        XCTAssertEqual(state.pingAcknowledged(), .seconds(30))
        XCTAssertFalse(state.awaitingPingAck)
        XCTAssertEqual(state.timerFired(quiet: .milliseconds(5), mayPing: true), .wait(.milliseconds(29_995)))
    }

    func testNoPingWhilePingsAreNotWantedButAnOutstandingPingStillCounts() {
        var state = KeepaliveState(interval: .seconds(30), timeout: .seconds(10))
        XCTAssertEqual(state.timerFired(quiet: .seconds(300), mayPing: false), .wait(.seconds(30)))
        XCTAssertFalse(state.awaitingPingAck)
        _ = state.timerFired(quiet: .seconds(30), mayPing: true)
        XCTAssertEqual(state.timerFired(quiet: .seconds(40), mayPing: false), .close, "the last call ended, but the PING went unanswered")
    }

    func testTimeoutText() {
        XCTAssertEqual(KeepaliveState(interval: .seconds(1), timeout: .seconds(20)).timeoutText, "20s")
        XCTAssertEqual(KeepaliveState(interval: .seconds(1), timeout: .milliseconds(300)).timeoutText, "300ms")
    }
}
