import Foundation
import ProtoRuntime
import XCTest

/// Timestamp, Duration and Empty: their binary bytes and their JSON through Codable.
final class WellKnownTypesTests: XCTestCase {
    private func timestamp(_ seconds: Int64, _ nanos: Int32) -> Google_Protobuf_Timestamp {
        var value = Google_Protobuf_Timestamp()
        value.seconds = seconds
        value.nanos = nanos
        return value
    }

    private func duration(_ seconds: Int64, _ nanos: Int32) -> Google_Protobuf_Duration {
        var value = Google_Protobuf_Duration()
        value.seconds = seconds
        value.nanos = nanos
        return value
    }

    private func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode([value]), as: UTF8.self)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode([T].self, from: Data(text.utf8))[0]
    }

    // MARK: Binary

    func testMessageNames() {
        XCTAssertEqual(Google_Protobuf_Timestamp.protoMessageName, "google.protobuf.Timestamp")
        XCTAssertEqual(Google_Protobuf_Duration.protoMessageName, "google.protobuf.Duration")
        XCTAssertEqual(Google_Protobuf_Empty.protoMessageName, "google.protobuf.Empty")
    }

    func testDefaultsEncodeToNothing() {
        XCTAssertEqual(Google_Protobuf_Timestamp().serializedBytes(), [])
        XCTAssertEqual(Google_Protobuf_Duration().serializedBytes(), [])
        XCTAssertEqual(Google_Protobuf_Empty().serializedBytes(), [])
        XCTAssertEqual(decodeResult(Google_Protobuf_Empty.self, []), .success(Google_Protobuf_Empty()))
    }

    func testTimestampBytes() {
        XCTAssertEqual(timestamp(1, 2).serializedBytes(), [0x08, 0x01, 0x10, 0x02])
        XCTAssertEqual(timestamp(1_484_443_815, 10_000_000).serializedBytes(), [0x08, 0xA7, 0xA1, 0xEB, 0xC3, 0x05, 0x10, 0x80, 0xAD, 0xE2, 0x04])
        // Negative seconds are int64 varints: ten bytes.
        XCTAssertEqual(timestamp(-1, 0).serializedBytes(), [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        XCTAssertEqual(timestamp(0, 5).serializedBytes(), [0x10, 0x05])
        for value in [timestamp(1, 2), timestamp(-1, 0), timestamp(1_484_443_815, 10_000_000)] {
            XCTAssertEqual(decodeResult(Google_Protobuf_Timestamp.self, value.serializedBytes()), .success(value))
            XCTAssertEqual(value.serializedSize(), value.serializedBytes().count)
        }
    }

    func testDurationBytesWithNegativeNanos() {
        let value = duration(-1, -500_000_000)
        let bytes: [UInt8] = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                              0x10, 0x80, 0xB6, 0xCA, 0x91, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        XCTAssertEqual(hex(value.serializedBytes()), hex(bytes))
        XCTAssertEqual(value.serializedSize(), 22)
        XCTAssertEqual(decodeResult(Google_Protobuf_Duration.self, bytes), .success(value))
    }

    func testFieldsDecodeInAnyOrder() {
        XCTAssertEqual(decodeResult(Google_Protobuf_Timestamp.self, [0x10, 0x02, 0x08, 0x01]), .success(timestamp(1, 2)))
    }

    // MARK: JSON

    func testTimestampJSON() throws {
        XCTAssertEqual(try json(timestamp(0, 0)), #"["1970-01-01T00:00:00Z"]"#)
        XCTAssertEqual(try json(timestamp(1_484_443_815, 10_000_000)), #"["2017-01-15T01:30:15.010Z"]"#)
        XCTAssertEqual(try decode(Google_Protobuf_Timestamp.self, #"["2017-01-15T01:30:15.01Z"]"#), timestamp(1_484_443_815, 10_000_000))
        XCTAssertEqual(try decode(Google_Protobuf_Timestamp.self, #"["1970-01-01T01:00:00+01:00"]"#), timestamp(0, 0))
    }

    func testTimestampJSONErrors() {
        XCTAssertThrowsError(try json(timestamp(253_402_300_800, 0))) { XCTAssertTrue($0 is EncodingError, "\($0)") }
        XCTAssertThrowsError(try json(timestamp(0, -1))) { XCTAssertTrue($0 is EncodingError, "\($0)") }
        XCTAssertThrowsError(try decode(Google_Protobuf_Timestamp.self, #"["2023-02-29T00:00:00Z"]"#)) { XCTAssertTrue($0 is DecodingError, "\($0)") }
        XCTAssertThrowsError(try decode(Google_Protobuf_Timestamp.self, "[0]")) { XCTAssertTrue($0 is DecodingError, "\($0)") }
        XCTAssertThrowsError(try decode(Google_Protobuf_Timestamp.self, #"[{"seconds": 1}]"#))
    }

    func testDurationJSON() throws {
        XCTAssertEqual(try json(duration(1, 500_000_000)), #"["1.500s"]"#)
        XCTAssertEqual(try json(duration(0, -500_000_000)), #"["-0.500s"]"#)
        XCTAssertEqual(try json(Google_Protobuf_Duration()), #"["0s"]"#)
        XCTAssertEqual(try decode(Google_Protobuf_Duration.self, #"["1.5s"]"#), duration(1, 500_000_000))
        XCTAssertEqual(try decode(Google_Protobuf_Duration.self, #"["-0.5s"]"#), duration(0, -500_000_000))
    }

    func testDurationJSONErrors() {
        XCTAssertThrowsError(try json(duration(315_576_000_001, 0))) { XCTAssertTrue($0 is EncodingError, "\($0)") }
        XCTAssertThrowsError(try json(duration(1, -1))) { XCTAssertTrue($0 is EncodingError, "\($0)") }
        XCTAssertThrowsError(try decode(Google_Protobuf_Duration.self, #"["315576000001s"]"#)) { XCTAssertTrue($0 is DecodingError, "\($0)") }
        XCTAssertThrowsError(try decode(Google_Protobuf_Duration.self, #"["1.5"]"#)) { XCTAssertTrue($0 is DecodingError, "\($0)") }
        XCTAssertThrowsError(try decode(Google_Protobuf_Duration.self, "[1.5]"))
    }

    func testEmptyJSONIsAnEmptyObject() throws {
        XCTAssertEqual(try json(Google_Protobuf_Empty()), "[{}]")
        XCTAssertEqual(try decode(Google_Protobuf_Empty.self, "[{}]"), Google_Protobuf_Empty())
        XCTAssertThrowsError(try decode(Google_Protobuf_Empty.self, #"[{"x": 1}]"#)) { XCTAssertTrue($0 is DecodingError, "\($0)") }
        XCTAssertThrowsError(try decode(Google_Protobuf_Empty.self, "[[]]"))
    }

    func testTimestampAsAnObjectMember() throws {
        struct Event: Codable, Equatable {
            var at: Google_Protobuf_Timestamp
        }
        let event = Event(at: timestamp(0, 1_000))
        let data = try JSONEncoder().encode(event)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"{"at":"1970-01-01T00:00:00.000001Z"}"#)
        XCTAssertEqual(try JSONDecoder().decode(Event.self, from: data), event)
    }
}
