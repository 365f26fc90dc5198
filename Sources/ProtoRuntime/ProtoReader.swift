/// A cursor over one encoded message, used by generated `decode(from:)` methods.
///
/// Valid only while the buffer it was made from is alive (inside `withUnsafeBytes`); it
/// never escapes a decoding call. Every read checks bounds and throws
/// ``ProtoDecodingError`` instead of trapping.
public struct ProtoReader {
    /// The deepest nesting of messages (and unknown groups) accepted.
    public static let maxDepth = 100

    let buffer: UnsafeRawBufferPointer
    var position: Int
    let end: Int
    let depth: Int
    /// Where the most recent tag began, so unknown fields can be kept byte for byte.
    var tagStart: Int = 0

    /// Creates a reader over a whole top-level message.
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.init(buffer: buffer, position: 0, end: buffer.count, depth: 0)
    }

    init(buffer: UnsafeRawBufferPointer, position: Int, end: Int, depth: Int) {
        self.buffer = buffer
        self.position = position
        self.end = end
        self.depth = depth
    }

    /// True when the message has no more bytes.
    public var isAtEnd: Bool { position >= end }

    @inline(__always)
    func byte(at offset: Int) -> UInt8 {
        buffer.baseAddress.unsafelyUnwrapped.load(fromByteOffset: offset, as: UInt8.self)
    }

    // MARK: - Primitives

    /// Reads a varint of up to 10 bytes; bits past the 64th are dropped as protobuf does.
    @inline(__always)
    public mutating func readRawVarint() throws(ProtoDecodingError) -> UInt64 {
        guard position < end else { throw .truncated }
        let first = byte(at: position)
        if first < 0x80 {
            position += 1
            return UInt64(first)
        }
        return try readMultiByteVarint()
    }

    mutating func readMultiByteVarint() throws(ProtoDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var offset = position
        while true {
            guard offset < end else { throw .truncated }
            let b = byte(at: offset)
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 {
                position = offset
                return result
            }
            shift += 7
            if shift >= 70 { throw .malformedVarint }
        }
    }

    @inline(__always)
    public mutating func readRawFixed32() throws(ProtoDecodingError) -> UInt32 {
        guard end - position >= 4 else { throw .truncated }
        let v = buffer.baseAddress.unsafelyUnwrapped.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: v)
    }

    @inline(__always)
    public mutating func readRawFixed64() throws(ProtoDecodingError) -> UInt64 {
        guard end - position >= 8 else { throw .truncated }
        let v = buffer.baseAddress.unsafelyUnwrapped.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: v)
    }

    /// Reads a length prefix and checks that the bytes it announces are present.
    @inline(__always)
    mutating func readLength() throws(ProtoDecodingError) -> Int {
        let length = try readRawVarint()
        guard length <= UInt64(end - position) else {
            throw length > UInt64(Int32.max) ? .lengthPastEnd : (end == buffer.count ? .truncated : .lengthPastEnd)
        }
        return Int(length)
    }

    // MARK: - Tags

    /// The next field's tag, or nil at the end of the message.
    @inline(__always)
    public mutating func nextTag() throws(ProtoDecodingError) -> FieldTag? {
        guard position < end else { return nil }
        tagStart = position
        let raw = try readRawVarint()
        let wireBits = UInt8(truncatingIfNeeded: raw & 7)
        guard raw <= UInt64(UInt32.max), raw >= 8, wireBits < 6 else { throw .invalidTag }
        // WireType's cases are declared in raw-value order 0...5, so its layout is the raw
        // value; this avoids an out-of-line `init(rawValue:)` on every field.
        return FieldTag(fieldNumber: Int(raw >> 3), wireType: unsafeBitCast(wireBits, to: WireType.self))
    }

    @inline(__always)
    func expect(_ tag: FieldTag, _ wire: WireType) throws(ProtoDecodingError) {
        guard tag.wireType == wire else {
            throw .wrongWireType(fieldNumber: tag.fieldNumber, wireType: tag.wireType.rawValue)
        }
    }

    // MARK: - Nested messages

    /// A reader over the length-delimited field that `tag` introduces; `self` moves past it.
    ///
    /// Used for embedded messages and map entries; counts one level of nesting.
    public mutating func nestedReader(_ tag: FieldTag) throws(ProtoDecodingError) -> ProtoReader {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        guard depth < Self.maxDepth else { throw .nestingTooDeep }
        let start = position
        position += length
        return ProtoReader(buffer: buffer, position: start, end: start + length, depth: depth + 1)
    }

    /// Decodes an embedded message into `message`, merging with what it already holds.
    @inline(__always)
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M) throws(ProtoDecodingError) {
        var nested = try nestedReader(tag)
        try message.decode(from: &nested)
    }

    /// Decodes an embedded message field that may already be set (merging as protobuf does).
    @inline(__always)
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M?) throws(ProtoDecodingError) {
        var value = message ?? M()
        try readMessage(tag, into: &value)
        message = value
    }

    /// Decodes one occurrence of a repeated message field and appends it.
    @inline(__always)
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, appendingTo messages: inout [M]) throws(ProtoDecodingError) {
        var value = M()
        try readMessage(tag, into: &value)
        messages.append(value)
    }

    // MARK: - Unknown fields

    /// Skips the field that `tag` introduced and appends its bytes to `unknownFields`.
    public mutating func skipField(_ tag: FieldTag, into unknownFields: inout UnknownFields) throws(ProtoDecodingError) {
        let start = tagStart
        try skipValue(tag, depth: depth)
        unknownFields.append(UnsafeRawBufferPointer(rebasing: buffer[start..<position]))
    }

    /// Skips the field that `tag` introduced without keeping it.
    public mutating func skipField(_ tag: FieldTag) throws(ProtoDecodingError) {
        try skipValue(tag, depth: depth)
    }

    mutating func skipValue(_ tag: FieldTag, depth: Int) throws(ProtoDecodingError) {
        switch tag.wireType {
        case .varint: _ = try readRawVarint()
        case .fixed64: _ = try readRawFixed64()
        case .fixed32: _ = try readRawFixed32()
        case .lengthDelimited: position += try readLength()
        case .endGroup: throw .unmatchedGroup
        case .startGroup:
            guard depth < Self.maxDepth else { throw .nestingTooDeep }
            while true {
                guard let inner = try nextTag() else { throw .unmatchedGroup }
                if inner.wireType == .endGroup {
                    guard inner.fieldNumber == tag.fieldNumber else { throw .unmatchedGroup }
                    return
                }
                try skipValue(inner, depth: depth + 1)
            }
        }
    }
}
