// Scalar value writers and their sizes, used by generated code. A field's key is written
// separately with `writeTag`; packed writers write the length prefix and the values.

extension ProtoWriter {
    @inline(__always)
    public mutating func writeDouble(_ value: Double) {
        writeRawFixed64(value.bitPattern)
    }

    public mutating func writePackedDouble(_ values: [Double]) {
        writeVarint(UInt64(ProtoSize.packedDouble(values)))
        for value in values { writeDouble(value) }
    }

    @inline(__always)
    public mutating func writeFloat(_ value: Float) {
        writeRawFixed32(value.bitPattern)
    }

    public mutating func writePackedFloat(_ values: [Float]) {
        writeVarint(UInt64(ProtoSize.packedFloat(values)))
        for value in values { writeFloat(value) }
    }

    @inline(__always)
    public mutating func writeInt32(_ value: Int32) {
        writeVarint(UInt64(bitPattern: Int64(value)))
    }

    public mutating func writePackedInt32(_ values: [Int32]) {
        writeVarint(UInt64(ProtoSize.packedInt32(values)))
        for value in values { writeInt32(value) }
    }

    @inline(__always)
    public mutating func writeInt64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: value))
    }

    public mutating func writePackedInt64(_ values: [Int64]) {
        writeVarint(UInt64(ProtoSize.packedInt64(values)))
        for value in values { writeInt64(value) }
    }

    @inline(__always)
    public mutating func writeUInt32(_ value: UInt32) {
        writeVarint(UInt64(value))
    }

    public mutating func writePackedUInt32(_ values: [UInt32]) {
        writeVarint(UInt64(ProtoSize.packedUInt32(values)))
        for value in values { writeUInt32(value) }
    }

    @inline(__always)
    public mutating func writeUInt64(_ value: UInt64) {
        writeVarint(value)
    }

    public mutating func writePackedUInt64(_ values: [UInt64]) {
        writeVarint(UInt64(ProtoSize.packedUInt64(values)))
        for value in values { writeUInt64(value) }
    }

    @inline(__always)
    public mutating func writeSInt32(_ value: Int32) {
        writeVarint(UInt64(ZigZag.encoded(value)))
    }

    public mutating func writePackedSInt32(_ values: [Int32]) {
        writeVarint(UInt64(ProtoSize.packedSInt32(values)))
        for value in values { writeSInt32(value) }
    }

    @inline(__always)
    public mutating func writeSInt64(_ value: Int64) {
        writeVarint(ZigZag.encoded(value))
    }

    public mutating func writePackedSInt64(_ values: [Int64]) {
        writeVarint(UInt64(ProtoSize.packedSInt64(values)))
        for value in values { writeSInt64(value) }
    }

    @inline(__always)
    public mutating func writeFixed32(_ value: UInt32) {
        writeRawFixed32(value)
    }

    public mutating func writePackedFixed32(_ values: [UInt32]) {
        writeVarint(UInt64(ProtoSize.packedFixed32(values)))
        for value in values { writeFixed32(value) }
    }

    @inline(__always)
    public mutating func writeFixed64(_ value: UInt64) {
        writeRawFixed64(value)
    }

    public mutating func writePackedFixed64(_ values: [UInt64]) {
        writeVarint(UInt64(ProtoSize.packedFixed64(values)))
        for value in values { writeFixed64(value) }
    }

    @inline(__always)
    public mutating func writeSFixed32(_ value: Int32) {
        writeRawFixed32(UInt32(bitPattern: value))
    }

    public mutating func writePackedSFixed32(_ values: [Int32]) {
        writeVarint(UInt64(ProtoSize.packedSFixed32(values)))
        for value in values { writeSFixed32(value) }
    }

    @inline(__always)
    public mutating func writeSFixed64(_ value: Int64) {
        writeRawFixed64(UInt64(bitPattern: value))
    }

    public mutating func writePackedSFixed64(_ values: [Int64]) {
        writeVarint(UInt64(ProtoSize.packedSFixed64(values)))
        for value in values { writeSFixed64(value) }
    }

    @inline(__always)
    public mutating func writeBool(_ value: Bool) {
        writeVarint(value ? 1 : 0)
    }

    public mutating func writePackedBool(_ values: [Bool]) {
        writeVarint(UInt64(ProtoSize.packedBool(values)))
        for value in values { writeBool(value) }
    }

    @inline(__always)
    public mutating func writeEnum(_ value: Int32) {
        writeInt32(value)
    }

    public mutating func writePackedEnum<E: ProtoEnum>(_ values: [E]) {
        writeVarint(UInt64(ProtoSize.packedEnum(values)))
        for value in values { writeInt32(value.rawValue) }
    }
}
