import ProtoRuntime
import XCTest

/// ZigZag mapping for `sint32`/`sint64`, and its use by the sint readers and writers.
final class ZigZagTests: XCTestCase {
    func testInt32Mapping() {
        let cases: [(Int32, UInt32)] = [
            (0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4),
            (Int32.max, 4_294_967_294), (Int32.min, 4_294_967_295),
        ]
        for (value, encoded) in cases {
            XCTAssertEqual(ZigZag.encoded(value), encoded, "\(value)")
            XCTAssertEqual(ZigZag.decoded(encoded), value, "\(encoded)")
        }
    }

    func testInt64Mapping() {
        let cases: [(Int64, UInt64)] = [
            (0, 0), (-1, 1), (1, 2), (-2, 3),
            (Int64(Int32.min), 4_294_967_295),
            (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max),
        ]
        for (value, encoded) in cases {
            XCTAssertEqual(ZigZag.encoded(value), encoded, "\(value)")
            XCTAssertEqual(ZigZag.decoded(encoded), value, "\(encoded)")
        }
    }

    func testRoundTripAcrossTheRange() {
        var value: Int64 = 1
        while value < Int64.max / 3 {
            for sample in [value, -value, value - 1, -value + 1] {
                XCTAssertEqual(ZigZag.decoded(ZigZag.encoded(sample)), sample)
                if let small = Int32(exactly: sample) {
                    XCTAssertEqual(ZigZag.decoded(ZigZag.encoded(small)), small)
                }
            }
            value *= 3
        }
    }

    func testSInt32WireBytes() {
        XCTAssertEqual(written { $0.writeSInt32(-1) }, [0x01])
        XCTAssertEqual(written { $0.writeSInt32(1) }, [0x02])
        XCTAssertEqual(written { $0.writeSInt32(-64) }, [0x7F])
        XCTAssertEqual(written { $0.writeSInt32(64) }, [0x80, 0x01])
        XCTAssertEqual(written { $0.writeSInt32(Int32.min) }, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        XCTAssertEqual(ProtoSize.sint32(Int32.min), 5)
        XCTAssertEqual(ProtoSize.sint32(-1), 1)
    }

    func testSInt64WireBytes() {
        XCTAssertEqual(written { $0.writeSInt64(-1) }, [0x01])
        XCTAssertEqual(written { $0.writeSInt64(Int64.min) }, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        XCTAssertEqual(ProtoSize.sint64(Int64.min), 10)
    }

    func testSIntReadersDecodeZigZag() {
        let tag = FieldTag(fieldNumber: 1, wireType: .varint)
        XCTAssertEqual(readResult([0x03]) { reader throws(ProtoDecodingError) in try reader.readSInt32(tag) }, .success(-2))
        XCTAssertEqual(readResult([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { reader throws(ProtoDecodingError) in try reader.readSInt32(tag) }, .success(Int32.min))
        let min64: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        XCTAssertEqual(readResult(min64) { reader throws(ProtoDecodingError) in try reader.readSInt64(tag) }, .success(Int64.min))
    }
}
