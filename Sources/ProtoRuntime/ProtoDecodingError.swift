/// Why a byte sequence is not a valid encoding of a message.
///
/// Every malformed input ends in one of these; decoding never traps.
public enum ProtoDecodingError: Error, Sendable, Hashable {
    /// The input ended inside a tag, a value or a length-delimited field.
    case truncated
    /// A length prefix points past the end of its enclosing message.
    case lengthPastEnd
    /// A varint ran over 10 bytes.
    case malformedVarint
    /// A tag had field number 0 or above 536,870,911, or wire type 6 or 7.
    case invalidTag
    /// A known field arrived with a wire type its declared type cannot have.
    case wrongWireType(fieldNumber: Int, wireType: UInt8)
    /// A `string` field held bytes that are not UTF-8.
    case invalidUTF8(fieldNumber: Int)
    /// Messages nested deeper than ``ProtoReader/maxDepth``.
    case nestingTooDeep
    /// A group had no matching end-group, or an end-group appeared without a start.
    case unmatchedGroup
}

extension ProtoDecodingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated: return "truncated message"
        case .lengthPastEnd: return "length-delimited field runs past the end of its message"
        case .malformedVarint: return "varint longer than 10 bytes"
        case .invalidTag: return "invalid field tag"
        case .wrongWireType(let field, let wire): return "field \(field) has wrong wire type \(wire)"
        case .invalidUTF8(let field): return "field \(field) is not valid UTF-8"
        case .nestingTooDeep: return "messages nested deeper than \(ProtoReader.maxDepth)"
        case .unmatchedGroup: return "unmatched group"
        }
    }
}
