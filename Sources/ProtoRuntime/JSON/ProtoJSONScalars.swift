// Wrappers that give scalar fields their proto3 JSON form: 64-bit integers as strings,
// non-finite floats as "NaN"/"Infinity"/"-Infinity", bytes as base64. On decode each
// accepts every form the spec allows (numbers or strings, standard or URL-safe base64).

private func decodeIntegerText(_ decoder: any Decoder) throws -> (String?, any SingleValueDecodingContainer) {
    let container = try decoder.singleValueContainer()
    return (try? container.decode(String.self), container)
}

/// True for decimal number text (digits, sign, point, exponent); Swift's own parsers
/// would also take hexadecimal forms, which proto3 JSON does not allow.
private func isDecimalNumberText(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 }
}

private func parseIntegral<T: FixedWidthInteger>(_ text: String, _ container: any SingleValueDecodingContainer) throws -> T {
    guard isDecimalNumberText(text) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a valid \(T.self)")
    }
    if let value = T(text) { return value }
    // "1e3" and "5.0" are valid JSON spellings of integers.
    if let double = Double(text), let value = T(exactly: double) { return value }
    throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a valid \(T.self)")
}

private func decodeIntegral<T: FixedWidthInteger & Decodable>(_ decoder: any Decoder) throws -> T {
    let (text, container) = try decodeIntegerText(decoder)
    if let text { return try parseIntegral(text, container) }
    if let value = try? container.decode(T.self) { return value }
    let double = try container.decode(Double.self)
    // T(exactly:) is nil for fractional and out-of-range values alike.
    guard let value = T(exactly: double) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(double) is not a valid \(T.self)")
    }
    return value
}

/// `int32`, `sint32`, `sfixed32`: a JSON number (a quoted number is accepted on decode).
public struct ProtoJSONInt32: Codable, Sendable {
    public let value: Int32
    public init(_ value: Int32) { self.value = value }
    public init(from decoder: any Decoder) throws { value = try decodeIntegral(decoder) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// `uint32`, `fixed32`: a JSON number.
public struct ProtoJSONUInt32: Codable, Sendable {
    public let value: UInt32
    public init(_ value: UInt32) { self.value = value }
    public init(from decoder: any Decoder) throws { value = try decodeIntegral(decoder) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// `int64`, `sint64`, `sfixed64`: a JSON string, since JSON numbers lose precision past 2^53.
public struct ProtoJSONInt64: Codable, Sendable {
    public let value: Int64
    public init(_ value: Int64) { self.value = value }
    public init(from decoder: any Decoder) throws { value = try decodeIntegral(decoder) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

/// `uint64`, `fixed64`: a JSON string.
public struct ProtoJSONUInt64: Codable, Sendable {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public init(from decoder: any Decoder) throws { value = try decodeIntegral(decoder) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

private func decodeFloating<T: BinaryFloatingPoint & LosslessStringConvertible & Decodable>(_ decoder: any Decoder) throws -> T {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self) {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard isDecimalNumberText(text), let value = T(text), value.isFinite else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a valid \(T.self)")
            }
            return value
        }
    }
    return try container.decode(T.self)
}

private func encodeFloating<T: BinaryFloatingPoint & Encodable>(_ value: T, _ encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if value.isNaN {
        try container.encode("NaN")
    } else if value.isInfinite {
        try container.encode(value < 0 ? "-Infinity" : "Infinity")
    } else if value == 0 && value.sign == .minus {
        // JSONEncoder writes -0.0 as `-0`, which JSON readers take for the integer 0;
        // the quoted form keeps the sign and is valid proto3 JSON.
        try container.encode("-0")
    } else {
        try container.encode(value)
    }
}

/// `double`: a JSON number, or "NaN", "Infinity", "-Infinity".
public struct ProtoJSONDouble: Codable, Sendable {
    public let value: Double
    public init(_ value: Double) { self.value = value }
    public init(from decoder: any Decoder) throws { value = try decodeFloating(decoder) }
    public func encode(to encoder: any Encoder) throws { try encodeFloating(value, encoder) }
}

/// `float`: a JSON number, or "NaN", "Infinity", "-Infinity".
public struct ProtoJSONFloat: Codable, Sendable {
    public let value: Float
    public init(_ value: Float) { self.value = value }
    public init(from decoder: any Decoder) throws { value = try decodeFloating(decoder) }
    public func encode(to encoder: any Encoder) throws { try encodeFloating(value, encoder) }
}

/// `bytes`: standard base64 with padding; decode also takes URL-safe and unpadded forms.
public struct ProtoJSONBytes: Codable, Sendable {
    public let value: [UInt8]
    public init(_ value: [UInt8]) { self.value = value }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let bytes = Base64.decode(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid base64")
        }
        value = bytes
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Base64.encode(value))
    }
}
