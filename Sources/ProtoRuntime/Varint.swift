/// Sizes of the variable-length integer encoding.
public enum Varint {
    /// The number of bytes `value` takes as a varint (1 ... 10).
    @inline(__always)
    public static func size(_ value: UInt64) -> Int {
        // Each byte carries 7 bits; a zero still takes one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Size of an `int32`: negative values are sign-extended to 10 bytes.
    @inline(__always)
    public static func size(int32 value: Int32) -> Int {
        value < 0 ? 10 : size(UInt64(UInt32(bitPattern: value)))
    }
}
