/// gRPC metadata (HTTP/2 headers or trailers): an ordered list of key/value pairs where a
/// key may repeat. Keys are lowercase; keys ending in `-bin` carry binary values, which
/// travel base64-encoded.
public struct Metadata: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var entries: [(key: String, value: MetadataValue)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { add(key, value) }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// Adds a text value; the key is lowercased as HTTP/2 requires.
    public mutating func add(_ key: String, _ value: String) {
        entries.append((key.lowercased(), .string(value)))
    }

    /// Adds a binary value; the key must end in `-bin`.
    public mutating func add(_ key: String, binary value: [UInt8]) {
        precondition(key.lowercased().hasSuffix("-bin"), "binary metadata keys end in -bin")
        entries.append((key.lowercased(), .binary(value)))
    }

    /// Replaces every value of `key` with one text value.
    public mutating func replace(_ key: String, _ value: String) {
        removeAll(key)
        add(key, value)
    }

    public mutating func removeAll(_ key: String) {
        let key = key.lowercased()
        entries.removeAll { $0.key == key }
    }

    /// The text values of `key`, in order.
    public subscript(_ key: String) -> [String] {
        let key = key.lowercased()
        return entries.compactMap { entry in
            guard entry.key == key, case .string(let value) = entry.value else { return nil }
            return value
        }
    }

    /// The first text value of `key`.
    public func first(_ key: String) -> String? {
        self[key].first
    }

    /// The binary values of `key` (a `-bin` key).
    public func binaryValues(_ key: String) -> [[UInt8]] {
        let key = key.lowercased()
        return entries.compactMap { entry in
            guard entry.key == key, case .binary(let value) = entry.value else { return nil }
            return value
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: MetadataValue)]> {
        entries.makeIterator()
    }

    public static func == (lhs: Metadata, rhs: Metadata) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }

    /// This metadata followed by every entry of `other`.
    public func merging(_ other: Metadata) -> Metadata {
        var merged = self
        merged.entries += other.entries
        return merged
    }

    /// Keys the transport owns; user metadata must not set them.
    public static func isReserved(_ key: String) -> Bool {
        if key.hasPrefix(":") || key.hasPrefix("grpc-") { return true }
        switch key {
        case "content-type", "te", "user-agent", "content-length": return true
        default: return false
        }
    }
}

/// One metadata value: text, or bytes for a `-bin` key.
public enum MetadataValue: Sendable, Hashable {
    case string(String)
    case binary([UInt8])
}
