/// A decoded field key: field number and wire type.
public struct FieldTag: Sendable, Hashable {
    /// The field number, 1 ... 536,870,911.
    public let fieldNumber: Int
    public let wireType: WireType

    public init(fieldNumber: Int, wireType: WireType) {
        self.fieldNumber = fieldNumber
        self.wireType = wireType
    }

    /// The key as it is written on the wire (before varint encoding).
    public var rawValue: UInt64 { UInt64(fieldNumber) << 3 | UInt64(wireType.rawValue) }

    /// The largest field number protobuf allows.
    public static let maxFieldNumber = (1 << 29) - 1
}
