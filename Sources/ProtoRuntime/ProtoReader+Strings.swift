// Length-delimited scalar readers: `string` (validated UTF-8) and `bytes`.

extension ProtoReader {
    public mutating func readString(_ tag: FieldTag) throws(ProtoDecodingError) -> String {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let start = position
        position += length
        if length == 0 { return "" }
        let bytes = UnsafeBufferPointer<UInt8>(
            start: buffer.baseAddress.unsafelyUnwrapped.advanced(by: start).assumingMemoryBound(to: UInt8.self),
            count: length
        )
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8(fieldNumber: tag.fieldNumber)
        }
        return string
    }

    public mutating func readBytes(_ tag: FieldTag) throws(ProtoDecodingError) -> [UInt8] {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        let start = position
        position += length
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[start..<start + length]))
    }

    public mutating func readRepeatedString(_ tag: FieldTag, into values: inout [String]) throws(ProtoDecodingError) {
        values.append(try readString(tag))
    }

    public mutating func readRepeatedBytes(_ tag: FieldTag, into values: inout [[UInt8]]) throws(ProtoDecodingError) {
        values.append(try readBytes(tag))
    }
}
