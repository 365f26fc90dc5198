import ProtoRuntime
import XCTest

/// Inputs that end early or announce more bytes than they hold: every one throws, none traps.
final class ProtoReaderTruncationTests: XCTestCase {
    func testSampleRecordDecodesWhole() {
        XCTAssertEqual(decodeResult(TestRecord.self, TestRecord.sampleBytes), .success(TestRecord.sample))
        assertRoundTrip(TestRecord.self, TestRecord.sampleBytes)
    }

    func testEveryStrictPrefixOfAWrappedRecordIsTruncated() {
        // One field holding the whole record: any prefix but the empty one cuts it short.
        let bytes = lengthDelimited(field: 7, TestRecord.sampleBytes)
        XCTAssertNotNil(try? TestNode(serializedBytes: bytes))
        for length in 1..<bytes.count {
            XCTAssertEqual(decodeError(TestNode.self, Array(bytes.prefix(length))), .truncated, "prefix of \(length) bytes")
        }
    }

    func testPrefixesOfTheRecordEitherFailOrDecodeTheFieldsBeforeTheCut() {
        let bytes = TestRecord.sampleBytes
        // Offsets at which a field ends, so a prefix of that length is a valid message.
        var boundaries: Set<Int> = [0]
        var offset = 0
        for length in [3, 8, 4, 5, 3, 2, 9, 5, 6, 10, 2] {
            offset += length
            boundaries.insert(offset)
        }
        XCTAssertEqual(offset, bytes.count)
        for length in 0..<bytes.count {
            let result = decodeResult(TestRecord.self, Array(bytes.prefix(length)))
            if boundaries.contains(length) {
                guard case .success(let record) = result else {
                    XCTFail("prefix of \(length) bytes ends on a field boundary: \(result)")
                    continue
                }
                XCTAssertEqual(record.serializedBytes(), Array(bytes.prefix(length)))
            } else {
                XCTAssertEqual(result.failure, .truncated, "prefix of \(length) bytes")
            }
        }
    }

    func testConcatenatedEncodingsMergeAsOne() {
        // Protobuf's merge rule: parsing A then B equals parsing A + B.
        let bytes = TestRecord.sampleBytes
        for split in [3, 11, 15, 20, 23, 25, 34, 39, 45, 55] {
            var record = TestRecord()
            XCTAssertNil(merge(Array(bytes.prefix(split)), into: &record), "split at \(split)")
            XCTAssertNil(merge(Array(bytes.dropFirst(split)), into: &record), "split at \(split)")
            XCTAssertEqual(record, TestRecord.sample, "split at \(split)")
        }
    }

    func testDecodingFromAMisalignedBufferReadsFixedWidthFields() {
        let padded: [UInt8] = [0xAA] + TestRecord.sampleBytes
        let record = padded.withUnsafeBytes { raw in
            try? TestRecord(serializedBytes: UnsafeRawBufferPointer(rebasing: raw.dropFirst()))
        }
        XCTAssertEqual(record, TestRecord.sample)
    }

    func testLengthPastTheEndOfTheInputIsTruncated() {
        // Field 3 of Empty (unknown) announces 5 bytes and carries 1.
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x1A, 0x05, 0x01]), .truncated)
        XCTAssertEqual(decodeError(TestRecord.self, [0x12, 0x02, 0x61]), .truncated)
        XCTAssertEqual(decodeError(TestRecord.self, [0x1A, 0x01]), .truncated)
    }

    func testLengthPastTheEndOfTheEnclosingMessageIsLengthPastEnd() {
        // TestNode.child is 2 bytes long, but inside it unknown field 7 claims 3 bytes,
        // which would run into the parent's next field.
        let bytes: [UInt8] = [0x0A, 0x02, 0x3A, 0x03, 0x10, 0x01, 0x10, 0x01]
        XCTAssertEqual(decodeError(TestNode.self, bytes), .lengthPastEnd)
    }

    func testHugeLengthsThrowInsteadOfOverflowing() {
        let maxUInt32: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x1A] + maxUInt32), .lengthPastEnd)
        let maxUInt64: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        XCTAssertNotNil(decodeError(Google_Protobuf_Empty.self, [0x1A] + maxUInt64))
        XCTAssertNotNil(decodeError(TestRecord.self, [0x12] + maxUInt64))
        XCTAssertNotNil(decodeError(TestRecord.self, [0x22] + maxUInt64))
        XCTAssertNotNil(decodeError(TestNode.self, [0x0A] + maxUInt64))
    }

    func testTruncatedFixedWidthValues() {
        XCTAssertEqual(decodeError(TestRecord.self, [0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0]), .truncated)
        XCTAssertEqual(decodeError(TestRecord.self, [0x3D, 0x78, 0x56, 0x34]), .truncated)
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x09, 0x00]), .truncated)
        XCTAssertEqual(decodeError(Google_Protobuf_Empty.self, [0x0D]), .truncated)
    }

    func testNoInputOfThreeBytesOrFewerTraps() {
        // Exhaustive over short inputs: decoding always returns or throws.
        let alphabet: [UInt8] = [0x00, 0x01, 0x02, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x12, 0x1A, 0x22, 0x31, 0x42, 0x7F, 0x80, 0xFF]
        var decoded = 0
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for input in [[a], [a, b], [a, b, c]] {
                        if (try? TestRecord(serializedBytes: input)) != nil { decoded += 1 }
                        _ = try? TestNode(serializedBytes: input)
                    }
                }
            }
        }
        XCTAssertGreaterThan(decoded, 0)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

