import ProtoRuntime
import XCTest

// Helpers shared by the byte-level tests: run a reader or a writer over literal bytes and
// turn typed throws into comparable `Result`s.

/// Runs `body` with a reader over `bytes`; the outcome as a comparable value.
func readResult<T>(
    _ bytes: [UInt8],
    _ body: (inout ProtoReader) throws(ProtoDecodingError) -> T
) -> Result<T, ProtoDecodingError> {
    bytes.withUnsafeBytes { raw in
        var reader = ProtoReader(raw)
        do throws(ProtoDecodingError) {
            return .success(try body(&reader))
        } catch {
            return .failure(error)
        }
    }
}

/// Decodes `bytes` as `M`; the outcome as a comparable value.
func decodeResult<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) -> Result<M, ProtoDecodingError> {
    do throws(ProtoDecodingError) {
        return .success(try M(serializedBytes: bytes))
    } catch {
        return .failure(error)
    }
}

/// The error decoding `bytes` as `M` throws, or nil when it decodes.
func decodeError<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) -> ProtoDecodingError? {
    if case .failure(let error) = decodeResult(type, bytes) { return error }
    return nil
}

/// The bytes `body` writes into a buffer of `capacity` bytes.
func written(capacity: Int = 128, _ body: (inout ProtoWriter) -> Void) -> [UInt8] {
    var buffer = [UInt8](repeating: 0xEE, count: capacity)
    let count = buffer.withUnsafeMutableBytes { raw -> Int in
        var writer = ProtoWriter(raw.baseAddress!)
        body(&writer)
        return writer.position
    }
    precondition(count <= capacity, "test buffer too small")
    return Array(buffer.prefix(count))
}

/// A varint encoder independent of the code under test, for building inputs by hand.
func varint(_ value: UInt64) -> [UInt8] {
    var out: [UInt8] = []
    var v = value
    while v >= 0x80 {
        out.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
    }
    out.append(UInt8(v))
    return out
}

/// A length-delimited field: key, length, payload.
func lengthDelimited(field: Int, _ payload: [UInt8]) -> [UInt8] {
    varint(UInt64(field) << 3 | 2) + varint(UInt64(payload.count)) + payload
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
}

/// Asserts that `bytes` decodes as `M` and re-encodes to exactly `bytes`.
func assertRoundTrip<M: ProtoMessage>(
    _ type: M.Type, _ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line
) {
    switch decodeResult(type, bytes) {
    case .success(let message):
        XCTAssertEqual(hex(message.serializedBytes()), hex(bytes), file: file, line: line)
        XCTAssertEqual(message.serializedSize(), bytes.count, file: file, line: line)
    case .failure(let error):
        XCTFail("decoding \(hex(bytes)) threw \(error)", file: file, line: line)
    }
}

/// Merges `bytes` into `message`; the error, or nil when it decodes.
func merge<M: ProtoMessage>(_ bytes: [UInt8], into message: inout M) -> ProtoDecodingError? {
    var copy = message
    let result = bytes.withUnsafeBytes { raw -> Result<Void, ProtoDecodingError> in
        do throws(ProtoDecodingError) {
            try copy.merge(serializedBytes: raw)
            return .success(())
        } catch {
            return .failure(error)
        }
    }
    if case .failure(let error) = result { return error }
    message = copy
    return nil
}
