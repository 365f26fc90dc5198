/// The six wire types of the protobuf binary encoding (the low three bits of a tag).
///
/// Groups (3, 4) are proto2-only; they are parsed only so that unknown fields sent by a
/// proto2 peer can be skipped and kept.
public enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}
