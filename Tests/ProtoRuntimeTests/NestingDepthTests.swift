import ProtoRuntime
import XCTest

/// Messages nested 100 deep decode; one more level is refused before the stack grows.
final class NestingDepthTests: XCTestCase {
    /// `depth` nested TestNodes, built by hand: child (field 1) first, then value (field 2).
    private func chainBytes(_ depth: Int) -> [UInt8] {
        guard depth > 0 else { return [] }
        return lengthDelimited(field: 1, chainBytes(depth - 1)) + [0x10, UInt8(depth & 0x7F)]
    }

    func testHandBuiltChainMatchesTheEncoder() {
        XCTAssertEqual(chainBytes(2), [0x0A, 0x04, 0x0A, 0x00, 0x10, 0x01, 0x10, 0x02])
        XCTAssertEqual(TestNode.chain(depth: 2).serializedBytes(), chainBytes(2))
        XCTAssertEqual(TestNode.chain(depth: 100).serializedBytes(), chainBytes(100))
    }

    func testOneHundredLevelsDecode() throws {
        let node = try TestNode(serializedBytes: chainBytes(100))
        XCTAssertEqual(node.depth, 100)
        XCTAssertEqual(node.value, 100)
        XCTAssertEqual(node, TestNode.chain(depth: 100))
        XCTAssertEqual(node.serializedBytes(), chainBytes(100))
    }

    func testOneHundredAndOneLevelsAreTooDeep() {
        XCTAssertEqual(decodeError(TestNode.self, chainBytes(101)), .nestingTooDeep)
        XCTAssertEqual(decodeError(TestNode.self, chainBytes(1000)), .nestingTooDeep)
    }

    func testDepthIsCountedPerPathNotPerMessageCount() throws {
        // The child field twice, each time 100 levels deep: they merge into one chain, and
        // neither occurrence exceeds the limit although 200 messages are read in all.
        let branch = chainBytes(99)
        let bytes = lengthDelimited(field: 1, branch) + lengthDelimited(field: 1, branch)
        let node = try TestNode(serializedBytes: bytes)
        XCTAssertEqual(node.depth, 100)
    }

    func testEmptyChildAtTheLimitStillCounts() {
        // 100 levels whose innermost child is an empty message: 101 nested messages.
        var bytes = lengthDelimited(field: 1, [])
        for _ in 0..<100 { bytes = lengthDelimited(field: 1, bytes) }
        XCTAssertEqual(decodeError(TestNode.self, bytes), .nestingTooDeep)
    }

    func testEveryTruncationOfADeepChainThrows() {
        let bytes = chainBytes(100)
        for length in 1..<bytes.count where !isFieldBoundary(length, of: bytes) {
            XCTAssertEqual(decodeError(TestNode.self, Array(bytes.prefix(length))), .truncated, "prefix of \(length) bytes")
        }
    }

    /// The only top-level field boundary inside the chain is after the child field.
    private func isFieldBoundary(_ length: Int, of bytes: [UInt8]) -> Bool {
        length == bytes.count - 2
    }
}
