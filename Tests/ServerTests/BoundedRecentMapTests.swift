import XCTest
@testable import Server

/// The coordinator's bounded maps (recently finished jobs, idempotency keys) keep exactly the
/// newest `capacity` keys, through many turns of their ring.
final class BoundedRecentMapTests: XCTestCase {
    func testKeepsTheNewestKeysThroughManyTurnsOfTheRing() {
        var map = BoundedRecentMap<Int>(capacity: 5)
        for index in 0..<23 { map.insert(index, for: "k\(index)") }
        XCTAssertEqual(map.count, 5)
        for index in 0..<18 { XCTAssertNil(map["k\(index)"], "k\(index) should have been evicted") }
        for index in 18..<23 { XCTAssertEqual(map["k\(index)"], index) }
    }

    func testUpdatingAKeyKeepsItsPlaceInTheOrder() {
        var map = BoundedRecentMap<Int>(capacity: 3)
        map.insert(1, for: "a")
        map.insert(2, for: "b")
        map.insert(3, for: "c")
        map.insert(10, for: "a") // an update: "a" is still the oldest
        map.insert(4, for: "d")
        XCTAssertNil(map["a"])
        XCTAssertEqual([map["b"], map["c"], map["d"]], [2, 3, 4])
        XCTAssertEqual(map.count, 3)
    }

    func testACapacityOfOneKeepsTheLastKey() {
        var map = BoundedRecentMap<String>(capacity: 0)
        map.insert("x", for: "1")
        map.insert("y", for: "2")
        XCTAssertEqual(map.count, 1)
        XCTAssertEqual(map["2"], "y")
        XCTAssertNil(map["1"])
    }
}
