// Length-delimited scalar readers: `string` (validated UTF-8) and `bytes`.

extension ProtoReader {
    public mutating func readString(_ tag: FieldTag) throws(ProtoDecodingError) -> String {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let start = position
        position += length
        if length == 0 { return "" }
        let bytes = buffer.baseAddress.unsafelyUnwrapped.advanced(by: start).assumingMemoryBound(to: UInt8.self)
        guard UTF8Validation.isValid(bytes, count: length) else {
            throw .invalidUTF8(fieldNumber: tag.fieldNumber)
        }
        // Already validated, so decoding repairs nothing.
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    public mutating func readBytes(_ tag: FieldTag) throws(ProtoDecodingError) -> [UInt8] {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let start = position
        position += length
        // Array(UnsafeBufferPointer) is pre-specialized in the standard library; the
        // `unsafeUninitializedCapacity` initializer looks up generic metadata per call.
        let source = buffer.baseAddress.unsafelyUnwrapped.advanced(by: start).assumingMemoryBound(to: UInt8.self)
        return [UInt8](UnsafeBufferPointer(start: source, count: length))
    }

    public mutating func readRepeatedString(_ tag: FieldTag, into values: inout [String]) throws(ProtoDecodingError) {
        values.append(try readString(tag))
    }

    public mutating func readRepeatedBytes(_ tag: FieldTag, into values: inout [[UInt8]]) throws(ProtoDecodingError) {
        values.append(try readBytes(tag))
    }
}
