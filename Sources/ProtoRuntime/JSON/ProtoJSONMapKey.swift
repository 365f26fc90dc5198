/// Map keys in proto3 JSON are always strings; these parse them back into key types.
public enum ProtoJSONMapKey {
    public static func parse<T: FixedWidthInteger>(_ key: ProtoJSONKey, as type: T.Type, codingPath: [any CodingKey]) throws -> T {
        guard let value = T(key.stringValue) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "map key \"\(key.stringValue)\" is not a valid \(T.self)"))
        }
        return value
    }

    public static func parse(_ key: ProtoJSONKey, as type: Bool.Type, codingPath: [any CodingKey]) throws -> Bool {
        switch key.stringValue {
        case "true": return true
        case "false": return false
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "map key \"\(key.stringValue)\" is not a bool"))
        }
    }
}
