import ProtoRuntime
import XCTest

/// Repeated scalars: both the packed and the unpacked encoding are accepted, in any mix,
/// and a packed run never reads past its own length.
final class PackedRepeatedTests: XCTestCase {
    /// Reads every field of `bytes` with `read` into one array.
    private func repeated<T>(
        _ bytes: [UInt8],
        _ read: (inout ProtoReader, FieldTag, inout [T]) throws(ProtoDecodingError) -> Void
    ) -> Result<[T], ProtoDecodingError> {
        readResult(bytes) { reader throws(ProtoDecodingError) in
            var values: [T] = []
            while let tag = try reader.nextTag() { try read(&reader, tag, &values) }
            return values
        }
    }

    func testVarintTypesPackedAndUnpacked() {
        let packed: [UInt8] = [0x0A, 0x04, 0x01, 0x96, 0x01, 0x00]
        let unpacked: [UInt8] = [0x08, 0x01, 0x08, 0x96, 0x01, 0x08, 0x00]
        for bytes in [packed, unpacked] {
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedInt32(t, into: &v) }, .success([1, 150, 0]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedInt64(t, into: &v) }, .success([1, 150, 0]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedUInt32(t, into: &v) }, .success([1, 150, 0]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedUInt64(t, into: &v) }, .success([1, 150, 0]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedSInt32(t, into: &v) }, .success([-1, 75, 0]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedSInt64(t, into: &v) }, .success([-1, 75, 0]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedBool(t, into: &v) }, .success([true, true, false]))
            XCTAssertEqual(
                repeated(bytes) { (r, t, v: inout [TestColor]) throws(ProtoDecodingError) in try r.readRepeatedEnum(t, into: &v) },
                .success([.red, .unrecognized(150), .unspecified])
            )
        }
    }

    func testNegativeEnumsAndInt32sInPackedRuns() {
        let bytes: [UInt8] = [0x0A, 0x0A, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        XCTAssertEqual(repeated(bytes) { (r, t, v: inout [TestColor]) throws(ProtoDecodingError) in try r.readRepeatedEnum(t, into: &v) }, .success([.blue]))
        XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedInt32(t, into: &v) }, .success([-2]))
    }

    func testFixedWidthTypesPackedAndUnpacked() {
        let packed32: [UInt8] = [0x0A, 0x08, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]
        let unpacked32: [UInt8] = [0x0D, 0x01, 0x00, 0x00, 0x00, 0x0D, 0xFF, 0xFF, 0xFF, 0xFF]
        for bytes in [packed32, unpacked32] {
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedFixed32(t, into: &v) }, .success([1, UInt32.max]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedSFixed32(t, into: &v) }, .success([1, -1]))
        }
        let one: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F]
        let packed64: [UInt8] = [0x0A, 0x10] + one + one
        let unpacked64: [UInt8] = [0x09] + one + [0x09] + one
        for bytes in [packed64, unpacked64] {
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedDouble(t, into: &v) }, .success([1.0, 1.0]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedFixed64(t, into: &v) }, .success([0x3FF0_0000_0000_0000, 0x3FF0_0000_0000_0000]))
            XCTAssertEqual(repeated(bytes) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedSFixed64(t, into: &v) }, .success([0x3FF0_0000_0000_0000, 0x3FF0_0000_0000_0000]))
        }
        let float: [UInt8] = [0x0A, 0x04, 0x00, 0x00, 0x80, 0x3F, 0x0D, 0x00, 0x00, 0x00, 0x40]
        XCTAssertEqual(repeated(float) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedFloat(t, into: &v) }, .success([1.0, 2.0]))
    }

    func testPackedAndUnpackedOccurrencesAppendInOrder() throws {
        // deltas (sint64): unpacked -1, packed [1, 2], unpacked -2, empty packed run.
        let bytes: [UInt8] = [0x20, 0x01, 0x22, 0x02, 0x02, 0x04, 0x20, 0x03, 0x22, 0x00]
        let record = try TestRecord(serializedBytes: bytes)
        XCTAssertEqual(record.deltas, [-1, 1, 2, -2])
        XCTAssertEqual(record.serializedBytes(), [0x22, 0x04, 0x01, 0x02, 0x04, 0x03])
    }

    func testUnpackedFixed64IsAcceptedForAPackedField() throws {
        let record = try TestRecord(serializedBytes: [0x49, 0x05, 0, 0, 0, 0, 0, 0, 0, 0x49, 0x06, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(record.stamps, [5, 6])
    }

    func testTruncatedElementInsideAPackedRunThrows() {
        // The last varint's continuation bit points past the run, even though the message
        // has more bytes after it: the run's length is the boundary.
        XCTAssertEqual(decodeError(TestRecord.self, [0x22, 0x01, 0x80]), .truncated)
        XCTAssertEqual(decodeError(TestRecord.self, [0x22, 0x02, 0x02, 0x80, 0x08, 0x01]), .truncated)
        // A packed fixed64 run whose length is not a multiple of 8.
        XCTAssertEqual(decodeError(TestRecord.self, [0x4A, 0x03, 0x01, 0x02, 0x03]), .truncated)
        XCTAssertEqual(decodeError(TestRecord.self, [0x4A, 0x09, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0x50, 0x01]), .truncated)
        let float: [UInt8] = [0x0A, 0x03, 0x00, 0x00, 0x80]
        XCTAssertEqual(repeated(float) { r, t, v throws(ProtoDecodingError) in try r.readRepeatedFloat(t, into: &v) }, .failure(.truncated))
    }

    func testPackedRunLongerThanTheInputThrows() {
        XCTAssertEqual(decodeError(TestRecord.self, [0x22, 0x05, 0x01]), .truncated)
        XCTAssertEqual(decodeError(TestRecord.self, [0x4A, 0x10] + [UInt8](repeating: 0, count: 8)), .truncated)
    }

    func testEveryTruncationOfAPackedRunThrows() {
        let bytes: [UInt8] = [0x22, 0x06, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        XCTAssertNotNil(try? TestRecord(serializedBytes: bytes))
        for length in 1..<bytes.count {
            XCTAssertEqual(decodeError(TestRecord.self, Array(bytes.prefix(length))), .truncated, "prefix of \(length) bytes")
        }
    }
}
