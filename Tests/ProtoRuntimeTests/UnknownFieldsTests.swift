import ProtoRuntime
import XCTest

/// Fields the schema does not know, of every wire type including proto2 groups: kept byte
/// for byte and written back after the known fields.
final class UnknownFieldsTests: XCTestCase {
    private let varintField: [UInt8] = [0x18, 0x96, 0x01]                                         // 3: varint 150
    private let fixed64Field: [UInt8] = [0x21, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]    // 4: fixed64
    private let lengthField: [UInt8] = [0x2A, 0x03, 0x61, 0x62, 0x63]                             // 5: "abc"
    private let groupField: [UInt8] = [
        0x33,                                   // 6: start group
        0x08, 0x01,                             //   1: varint
        0x43,                                   //   8: start group
        0x0D, 0x01, 0x00, 0x00, 0x00,           //     1: fixed32
        0x44,                                   //   8: end group
        0x12, 0x00,                             //   2: empty bytes
        0x34,                                   // 6: end group
    ]
    private let fixed32Field: [UInt8] = [0x3D, 0x01, 0x02, 0x03, 0x04]                            // 7: fixed32

    private var allUnknown: [UInt8] { varintField + fixed64Field + lengthField + groupField + fixed32Field }

    func testEveryWireTypeIsKeptByteExact() throws {
        let bytes: [UInt8] = [0x08, 0x01, 0x10, 0x02] + allUnknown
        let timestamp = try Google_Protobuf_Timestamp(serializedBytes: bytes)
        XCTAssertEqual(timestamp.seconds, 1)
        XCTAssertEqual(timestamp.nanos, 2)
        XCTAssertEqual(hex(timestamp.unknownFields.bytes), hex(allUnknown))
        XCTAssertEqual(hex(timestamp.serializedBytes()), hex(bytes))
        XCTAssertEqual(timestamp.serializedSize(), bytes.count)
    }

    func testUnknownFieldsGoAfterKnownFieldsOnReencode() throws {
        let bytes: [UInt8] = varintField + [0x10, 0x02] + groupField + [0x08, 0x01]
        let timestamp = try Google_Protobuf_Timestamp(serializedBytes: bytes)
        XCTAssertEqual(hex(timestamp.serializedBytes()), hex([0x08, 0x01, 0x10, 0x02] + varintField + groupField))
    }

    func testMessageWithNoFieldsKeepsEverything() {
        assertRoundTrip(Google_Protobuf_Empty.self, allUnknown)
        XCTAssertTrue(Google_Protobuf_Empty().unknownFields.isEmpty)
    }

    func testUnknownFieldsInsideNestedMessagesAreKeptWithTheirMessage() throws {
        let child: [UInt8] = [0x10, 0x05] + lengthField
        let bytes: [UInt8] = lengthDelimited(field: 1, child) + fixed32Field
        let node = try TestNode(serializedBytes: bytes)
        XCTAssertEqual(node.child?.value, 5)
        XCTAssertEqual(node.child?.unknownFields.bytes, lengthField)
        XCTAssertEqual(node.unknownFields.bytes, fixed32Field)
        XCTAssertEqual(node.serializedBytes(), bytes)
    }

    func testMessagesDifferingOnlyInUnknownFieldsAreNotEqual() throws {
        let plain = try Google_Protobuf_Empty(serializedBytes: [])
        let extra = try Google_Protobuf_Empty(serializedBytes: varintField)
        XCTAssertNotEqual(plain, extra)
    }

    // MARK: Groups

    func testEndGroupWithoutStartIsUnmatched() {
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x34]), .unmatchedGroup)
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x08, 0x01, 0x1C]), .unmatchedGroup)
    }

    func testEndGroupOfAnotherFieldIsUnmatched() {
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x33, 0x08, 0x01, 0x3C]), .unmatchedGroup)
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x33, 0x43, 0x34, 0x44]), .unmatchedGroup)
    }

    func testGroupThatNeverEndsThrows() {
        for bytes: [UInt8] in [[0x33], [0x33, 0x08, 0x01], [0x33, 0x43, 0x44]] {
            let error = decodeError(Google_Protobuf_Empty.self, bytes)
            XCTAssertTrue(error == .unmatchedGroup || error == .truncated, "\(hex(bytes)): \(String(describing: error))")
        }
    }

    func testGroupCannotEndOutsideItsEnclosingMessage() {
        // The child (1 byte) starts group 6; its end-group byte lies in the parent.
        XCTAssertEqual(decodeError(TestNode.self, [0x0A, 0x01, 0x33, 0x34]), .unmatchedGroup)
    }

    func testEveryTruncationOfAGroupThrows() {
        for length in 1..<groupField.count {
            XCTAssertNotNil(decodeError(Google_Protobuf_Empty.self, Array(groupField.prefix(length))), "prefix of \(length) bytes")
        }
    }

    func testGroupWireTypeOnAKnownFieldIsWrongWireType() {
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x0B, 0x0C]), .wrongWireType(fieldNumber: 1, wireType: 3))
        XCTAssertEqual(decodeError(Google_Protobuf_Timestamp.self, [0x14]), .wrongWireType(fieldNumber: 2, wireType: 4))
    }

    func testInvalidContentInsideAGroupIsReported() {
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x33, 0x00, 0x34]), .invalidTag)
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x33, 0x0A, 0x05, 0x34]), .truncated)
    }

    func testOneHundredNestedGroupsAreAcceptedAndOneHundredAndOneAreNot() {
        func nested(_ count: Int) -> [UInt8] {
            [UInt8](repeating: 0x0B, count: count) + [UInt8](repeating: 0x0C, count: count)
        }
        XCTAssertEqual(ProtoReader.maxDepth, 100)
        assertRoundTrip(Google_Protobuf_Empty.self, nested(100))
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, nested(101)), .nestingTooDeep)
    }

    func testGroupsAndMessagesShareOneDepthBudget() {
        func inChain(_ messages: Int, groups: Int) -> [UInt8] {
            var bytes = [UInt8](repeating: 0x1B, count: groups) + [UInt8](repeating: 0x1C, count: groups)
            for _ in 0..<messages { bytes = lengthDelimited(field: 1, bytes) }
            return bytes
        }
        assertRoundTrip(TestNode.self, inChain(50, groups: 50))
        XCTAssertEqual(decodeError(TestNode.self, inChain(50, groups: 51)), .nestingTooDeep)
    }
}
