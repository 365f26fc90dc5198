/// Immutable shared storage for a message field whose type contains itself.
///
/// Swift value types cannot nest themselves directly; the generator boxes only the
/// fields that close a cycle, so ordinary fields stay inline.
public final class ProtoBox<Value: Hashable & Sendable>: Hashable, Sendable {
    public let value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public static func == (lhs: ProtoBox, rhs: ProtoBox) -> Bool {
        lhs === rhs || lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }
}
