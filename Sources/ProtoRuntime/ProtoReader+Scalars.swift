// Scalar field readers used by generated code. Each checks the wire type of its tag;
// repeated readers accept both the packed and the unpacked encoding.

extension ProtoReader {
    @inline(__always)
    public mutating func readDouble(_ tag: FieldTag) throws(ProtoDecodingError) -> Double {
        try expect(tag, .fixed64)
        return Double(bitPattern: try readRawFixed64())
    }

    public mutating func readRepeatedDouble(_ tag: FieldTag, into values: inout [Double]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(Double(bitPattern: try packed.readRawFixed64())) }
        } else {
            values.append(try readDouble(tag))
        }
    }

    @inline(__always)
    public mutating func readFloat(_ tag: FieldTag) throws(ProtoDecodingError) -> Float {
        try expect(tag, .fixed32)
        return Float(bitPattern: try readRawFixed32())
    }

    public mutating func readRepeatedFloat(_ tag: FieldTag, into values: inout [Float]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(Float(bitPattern: try packed.readRawFixed32())) }
        } else {
            values.append(try readFloat(tag))
        }
    }

    @inline(__always)
    public mutating func readInt32(_ tag: FieldTag) throws(ProtoDecodingError) -> Int32 {
        try expect(tag, .varint)
        return Int32(truncatingIfNeeded: try readRawVarint())
    }

    public mutating func readRepeatedInt32(_ tag: FieldTag, into values: inout [Int32]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(Int32(truncatingIfNeeded: try packed.readRawVarint())) }
        } else {
            values.append(try readInt32(tag))
        }
    }

    @inline(__always)
    public mutating func readInt64(_ tag: FieldTag) throws(ProtoDecodingError) -> Int64 {
        try expect(tag, .varint)
        return Int64(bitPattern: try readRawVarint())
    }

    public mutating func readRepeatedInt64(_ tag: FieldTag, into values: inout [Int64]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(Int64(bitPattern: try packed.readRawVarint())) }
        } else {
            values.append(try readInt64(tag))
        }
    }

    @inline(__always)
    public mutating func readUInt32(_ tag: FieldTag) throws(ProtoDecodingError) -> UInt32 {
        try expect(tag, .varint)
        return UInt32(truncatingIfNeeded: try readRawVarint())
    }

    public mutating func readRepeatedUInt32(_ tag: FieldTag, into values: inout [UInt32]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(UInt32(truncatingIfNeeded: try packed.readRawVarint())) }
        } else {
            values.append(try readUInt32(tag))
        }
    }

    @inline(__always)
    public mutating func readUInt64(_ tag: FieldTag) throws(ProtoDecodingError) -> UInt64 {
        try expect(tag, .varint)
        return try readRawVarint()
    }

    public mutating func readRepeatedUInt64(_ tag: FieldTag, into values: inout [UInt64]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(try packed.readRawVarint()) }
        } else {
            values.append(try readUInt64(tag))
        }
    }

    @inline(__always)
    public mutating func readSInt32(_ tag: FieldTag) throws(ProtoDecodingError) -> Int32 {
        try expect(tag, .varint)
        return ZigZag.decoded(UInt32(truncatingIfNeeded: try readRawVarint()))
    }

    public mutating func readRepeatedSInt32(_ tag: FieldTag, into values: inout [Int32]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(ZigZag.decoded(UInt32(truncatingIfNeeded: try packed.readRawVarint()))) }
        } else {
            values.append(try readSInt32(tag))
        }
    }

    @inline(__always)
    public mutating func readSInt64(_ tag: FieldTag) throws(ProtoDecodingError) -> Int64 {
        try expect(tag, .varint)
        return ZigZag.decoded(try readRawVarint())
    }

    public mutating func readRepeatedSInt64(_ tag: FieldTag, into values: inout [Int64]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(ZigZag.decoded(try packed.readRawVarint())) }
        } else {
            values.append(try readSInt64(tag))
        }
    }

    @inline(__always)
    public mutating func readFixed32(_ tag: FieldTag) throws(ProtoDecodingError) -> UInt32 {
        try expect(tag, .fixed32)
        return try readRawFixed32()
    }

    public mutating func readRepeatedFixed32(_ tag: FieldTag, into values: inout [UInt32]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(try packed.readRawFixed32()) }
        } else {
            values.append(try readFixed32(tag))
        }
    }

    @inline(__always)
    public mutating func readFixed64(_ tag: FieldTag) throws(ProtoDecodingError) -> UInt64 {
        try expect(tag, .fixed64)
        return try readRawFixed64()
    }

    public mutating func readRepeatedFixed64(_ tag: FieldTag, into values: inout [UInt64]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(try packed.readRawFixed64()) }
        } else {
            values.append(try readFixed64(tag))
        }
    }

    @inline(__always)
    public mutating func readSFixed32(_ tag: FieldTag) throws(ProtoDecodingError) -> Int32 {
        try expect(tag, .fixed32)
        return Int32(bitPattern: try readRawFixed32())
    }

    public mutating func readRepeatedSFixed32(_ tag: FieldTag, into values: inout [Int32]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(Int32(bitPattern: try packed.readRawFixed32())) }
        } else {
            values.append(try readSFixed32(tag))
        }
    }

    @inline(__always)
    public mutating func readSFixed64(_ tag: FieldTag) throws(ProtoDecodingError) -> Int64 {
        try expect(tag, .fixed64)
        return Int64(bitPattern: try readRawFixed64())
    }

    public mutating func readRepeatedSFixed64(_ tag: FieldTag, into values: inout [Int64]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(Int64(bitPattern: try packed.readRawFixed64())) }
        } else {
            values.append(try readSFixed64(tag))
        }
    }

    @inline(__always)
    public mutating func readBool(_ tag: FieldTag) throws(ProtoDecodingError) -> Bool {
        try expect(tag, .varint)
        return try readRawVarint() != 0
    }

    public mutating func readRepeatedBool(_ tag: FieldTag, into values: inout [Bool]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(try packed.readRawVarint() != 0) }
        } else {
            values.append(try readBool(tag))
        }
    }

    /// Reads the raw number of an enum field; the generated code maps it to a case.
    @inline(__always)
    public mutating func readEnum(_ tag: FieldTag) throws(ProtoDecodingError) -> Int32 {
        try readInt32(tag)
    }

    public mutating func readRepeatedEnum<E: ProtoEnum>(_ tag: FieldTag, into values: inout [E]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try packedReader()
            while !packed.isAtEnd { values.append(E(rawValue: Int32(truncatingIfNeeded: try packed.readRawVarint()))) }
        } else {
            values.append(E(rawValue: try readInt32(tag)))
        }
    }

    /// A reader over a packed run; `self` moves past it. Packing adds no nesting level.
    mutating func packedReader() throws(ProtoDecodingError) -> ProtoReader {
        let length = try readLength()
        let start = position
        position += length
        return ProtoReader(buffer: buffer, position: start, end: start + length, depth: depth)
    }
}
