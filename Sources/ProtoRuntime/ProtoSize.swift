/// Encoded sizes of values (without their field key), used by the size pass.
public enum ProtoSize {
    @inline(__always)
    public static func double(_ value: Double) -> Int { 8 }

    @inline(__always)
    public static func packedDouble(_ values: [Double]) -> Int { values.count * 8 }

    @inline(__always)
    public static func float(_ value: Float) -> Int { 4 }

    @inline(__always)
    public static func packedFloat(_ values: [Float]) -> Int { values.count * 4 }

    @inline(__always)
    public static func int32(_ value: Int32) -> Int { Varint.size(int32: value) }

    public static func packedInt32(_ values: [Int32]) -> Int {
        var size = 0
        for value in values { size += int32(value) }
        return size
    }

    @inline(__always)
    public static func int64(_ value: Int64) -> Int { Varint.size(UInt64(bitPattern: value)) }

    public static func packedInt64(_ values: [Int64]) -> Int {
        var size = 0
        for value in values { size += int64(value) }
        return size
    }

    @inline(__always)
    public static func uint32(_ value: UInt32) -> Int { Varint.size(UInt64(value)) }

    public static func packedUInt32(_ values: [UInt32]) -> Int {
        var size = 0
        for value in values { size += uint32(value) }
        return size
    }

    @inline(__always)
    public static func uint64(_ value: UInt64) -> Int { Varint.size(value) }

    public static func packedUInt64(_ values: [UInt64]) -> Int {
        var size = 0
        for value in values { size += uint64(value) }
        return size
    }

    @inline(__always)
    public static func sint32(_ value: Int32) -> Int { Varint.size(UInt64(ZigZag.encoded(value))) }

    public static func packedSInt32(_ values: [Int32]) -> Int {
        var size = 0
        for value in values { size += sint32(value) }
        return size
    }

    @inline(__always)
    public static func sint64(_ value: Int64) -> Int { Varint.size(ZigZag.encoded(value)) }

    public static func packedSInt64(_ values: [Int64]) -> Int {
        var size = 0
        for value in values { size += sint64(value) }
        return size
    }

    @inline(__always)
    public static func fixed32(_ value: UInt32) -> Int { 4 }

    @inline(__always)
    public static func packedFixed32(_ values: [UInt32]) -> Int { values.count * 4 }

    @inline(__always)
    public static func fixed64(_ value: UInt64) -> Int { 8 }

    @inline(__always)
    public static func packedFixed64(_ values: [UInt64]) -> Int { values.count * 8 }

    @inline(__always)
    public static func sfixed32(_ value: Int32) -> Int { 4 }

    @inline(__always)
    public static func packedSFixed32(_ values: [Int32]) -> Int { values.count * 4 }

    @inline(__always)
    public static func sfixed64(_ value: Int64) -> Int { 8 }

    @inline(__always)
    public static func packedSFixed64(_ values: [Int64]) -> Int { values.count * 8 }

    @inline(__always)
    public static func bool(_ value: Bool) -> Int { 1 }

    @inline(__always)
    public static func packedBool(_ values: [Bool]) -> Int { values.count * 1 }

    @inline(__always)
    public static func `enum`(_ value: Int32) -> Int { int32(value) }

    public static func packedEnum<E: ProtoEnum>(_ values: [E]) -> Int {
        var size = 0
        for value in values { size += int32(value.rawValue) }
        return size
    }

    /// A length-delimited value: its length prefix plus `length` bytes.
    @inline(__always)
    public static func lengthDelimited(_ length: Int) -> Int { Varint.size(UInt64(length)) + length }

    @inline(__always)
    public static func string(_ value: String) -> Int { lengthDelimited(value.utf8.count) }

    @inline(__always)
    public static func bytes(_ value: [UInt8]) -> Int { lengthDelimited(value.count) }

    @inline(__always)
    public static func message<M: ProtoMessage>(_ value: M) -> Int { lengthDelimited(value.serializedSize()) }
}
