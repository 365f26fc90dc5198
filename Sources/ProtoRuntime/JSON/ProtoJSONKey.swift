/// The coding key of every generated JSON conformance: a field's JSON or proto name.
public struct ProtoJSONKey: CodingKey, Sendable, Hashable {
    public let stringValue: String

    public init(_ name: String) {
        self.stringValue = name
    }

    public init?(stringValue: String) {
        self.stringValue = stringValue
    }

    public var intValue: Int? { nil }

    public init?(intValue: Int) {
        self.stringValue = String(intValue)
    }
}

/// Errors of the JSON mapping that `DecodingError` has no case for.
public enum ProtoJSONError {
    /// The error thrown for a JSON key that names no field of `message`.
    public static func unknownField(_ key: ProtoJSONKey, in message: String, codingPath: [any CodingKey]) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "\(message) has no field named \"\(key.stringValue)\""))
    }
}
