import RPCCore
import XCTest

final class MetadataTests: XCTestCase {
    func testKeysAreLowercasedAndRepeatable() {
        var metadata: Metadata = ["Authorization": "Bearer abc"]
        metadata.add("x-trace", "1")
        metadata.add("X-Trace", "2")
        XCTAssertEqual(metadata.first("authorization"), "Bearer abc")
        XCTAssertEqual(metadata["x-trace"], ["1", "2"])
        metadata.replace("x-trace", "3")
        XCTAssertEqual(metadata["x-trace"], ["3"])
        XCTAssertEqual(metadata.count, 2)
    }

    func testBinaryValuesAreKeptApart() {
        var metadata = Metadata()
        metadata.add("trace-bin", binary: [0, 1, 2])
        XCTAssertEqual(metadata.binaryValues("trace-bin"), [[0, 1, 2]])
        XCTAssertEqual(metadata["trace-bin"], [])
    }

    func testReservedKeys() {
        XCTAssertTrue(Metadata.isReserved(":path"))
        XCTAssertTrue(Metadata.isReserved("grpc-timeout"))
        XCTAssertTrue(Metadata.isReserved("content-type"))
        XCTAssertFalse(Metadata.isReserved("authorization"))
    }
}
