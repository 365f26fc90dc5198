/// Writes an encoded message into a buffer sized beforehand by `serializedSize()`.
///
/// Encoding is two passes: the size pass computes the exact length, then this writer fills
/// a buffer of exactly that length with no bounds checks or reallocation. Writing more
/// than was sized is a programming error in generated code.
public struct ProtoWriter {
    let base: UnsafeMutableRawPointer
    /// Bytes written so far.
    public private(set) var position: Int = 0

    /// Creates a writer at the start of `base`, which must hold the whole encoding.
    public init(_ base: UnsafeMutableRawPointer) {
        self.base = base
    }

    @inline(__always)
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: position, as: UInt8.self)
            position += 1
            v >>= 7
        }
        base.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: position, as: UInt8.self)
        position += 1
    }

    /// Writes a precomputed field key (`fieldNumber << 3 | wireType`).
    @inline(__always)
    public mutating func writeTag(_ key: UInt64) {
        writeVarint(key)
    }

    @inline(__always)
    public mutating func writeRawFixed32(_ value: UInt32) {
        base.storeBytes(of: value.littleEndian, toByteOffset: position, as: UInt32.self)
        position += 4
    }

    @inline(__always)
    public mutating func writeRawFixed64(_ value: UInt64) {
        base.storeBytes(of: value.littleEndian, toByteOffset: position, as: UInt64.self)
        position += 8
    }

    /// Copies raw bytes (used for unknown fields and bytes fields).
    @inline(__always)
    public mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (base + position).copyMemory(from: source, byteCount: bytes.count)
        position += bytes.count
    }

    /// Writes a length prefix and the UTF-8 of `string`.
    @inline(__always)
    public mutating func writeString(_ string: String) {
        let utf8 = string.utf8
        writeVarint(UInt64(utf8.count))
        if utf8.withContiguousStorageIfAvailable({ writeRaw(UnsafeRawBufferPointer($0)) }) == nil {
            for byte in utf8 {
                base.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
                position += 1
            }
        }
    }

    /// Writes a length prefix and `bytes`.
    @inline(__always)
    public mutating func writeBytes(_ bytes: [UInt8]) {
        writeVarint(UInt64(bytes.count))
        bytes.withUnsafeBytes { writeRaw($0) }
    }

    /// Writes an embedded message: its length, then its fields.
    @inline(__always)
    public mutating func writeMessage<M: ProtoMessage>(_ message: M) {
        writeVarint(UInt64(message.serializedSize()))
        message.encode(to: &self)
    }

    /// Re-emits the unknown fields a message kept when it was decoded.
    @inline(__always)
    public mutating func writeUnknownFields(_ fields: UnknownFields) {
        fields.bytes.withUnsafeBytes { writeRaw($0) }
    }
}
