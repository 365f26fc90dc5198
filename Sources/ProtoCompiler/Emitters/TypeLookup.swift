/// Swift spellings of field types, and the runtime calls that read, write and size them.
struct TypeLookup {
    /// Full protobuf name → Swift type name, for every message and enum that is loaded.
    let swiftNames: [String: String]
    /// Full protobuf name → Swift case name of value 0, for every enum.
    let enumDefaults: [String: String]

    func swiftType(_ type: FieldType) -> String {
        switch type {
        case .scalar(let scalar): return Self.swiftType(scalar)
        case .message(let name), .enumeration(let name): return swiftNames[name] ?? name
        }
    }

    static func swiftType(_ scalar: ScalarType) -> String {
        switch scalar {
        case .double: return "Double"
        case .float: return "Float"
        case .int32, .sint32, .sfixed32: return "Int32"
        case .int64, .sint64, .sfixed64: return "Int64"
        case .uint32, .fixed32: return "UInt32"
        case .uint64, .fixed64: return "UInt64"
        case .bool: return "Bool"
        case .string: return "String"
        case .bytes: return "[UInt8]"
        }
    }

    /// The Swift type of the stored property.
    func declaredType(_ field: FieldDescriptor) -> String {
        let element = swiftType(field.type)
        switch field.cardinality {
        case .singular: return element
        case .optional: return element + "?"
        case .repeated: return "[\(element)]"
        case .map(let key): return "[\(Self.swiftType(key)): \(element)]"
        }
    }

    /// The proto3 default of a value of `type`.
    func defaultValue(_ type: FieldType) -> String {
        switch type {
        case .scalar(let scalar):
            switch scalar {
            case .bool: return "false"
            case .string: return "\"\""
            case .bytes: return "[]"
            default: return "0"
            }
        case .enumeration(let name): return "." + (enumDefaults[name] ?? "init()")
        case .message(let name): return (swiftNames[name] ?? name) + "()"
        }
    }

    func initialValue(_ field: FieldDescriptor) -> String {
        switch field.cardinality {
        case .singular: return defaultValue(field.type)
        case .optional: return "nil"
        case .repeated: return "[]"
        case .map: return "[:]"
        }
    }

    // MARK: Wire

    static func wireType(_ type: FieldType) -> Int {
        switch type {
        case .scalar(let scalar):
            switch scalar {
            case .double, .fixed64, .sfixed64: return 1
            case .float, .fixed32, .sfixed32: return 5
            case .string, .bytes: return 2
            default: return 0
            }
        case .enumeration: return 0
        case .message: return 2
        }
    }

    static func key(_ number: Int, _ wireType: Int) -> UInt64 { UInt64(number) << 3 | UInt64(wireType) }

    static func keySize(_ number: Int) -> Int {
        let bits = 64 - (UInt64(number) << 3 | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// The suffix of the runtime's per-type functions: `readSInt32`, `writeSInt32`.
    static func runtimeName(_ scalar: ScalarType) -> String {
        switch scalar {
        case .double: return "Double"
        case .float: return "Float"
        case .int32: return "Int32"
        case .int64: return "Int64"
        case .uint32: return "UInt32"
        case .uint64: return "UInt64"
        case .sint32: return "SInt32"
        case .sint64: return "SInt64"
        case .fixed32: return "Fixed32"
        case .fixed64: return "Fixed64"
        case .sfixed32: return "SFixed32"
        case .sfixed64: return "SFixed64"
        case .bool: return "Bool"
        case .string: return "String"
        case .bytes: return "Bytes"
        }
    }

    /// `ProtoSize` function for one value: `ProtoSize.sint32`.
    static func sizeFunction(_ scalar: ScalarType) -> String {
        "ProtoSize." + scalar.rawValue
    }

    /// An expression for the encoded size of `value` (without its key).
    static func valueSize(_ type: FieldType, _ value: String) -> String {
        switch type {
        case .scalar(let scalar): return "\(sizeFunction(scalar))(\(value))"
        case .enumeration: return "ProtoSize.enum(\(value).rawValue)"
        case .message: return "ProtoSize.lengthDelimited(\(value).serializedSize())"
        }
    }

    /// A statement writing `value` (without its key).
    static func writeValue(_ type: FieldType, _ value: String) -> String {
        switch type {
        case .scalar(let scalar): return "writer.write\(runtimeName(scalar))(\(value))"
        case .enumeration: return "writer.writeEnum(\(value).rawValue)"
        // Written out rather than through a generic helper, so that no generic metadata is
        // looked up per nested message.
        case .message: return "writer.writeVarint(UInt64(\(value).serializedSize())); \(value).encode(to: &writer)"
        }
    }

    /// A condition that is true when a singular field differs from its default.
    static func isNonDefault(_ type: FieldType, _ value: String) -> String {
        switch type {
        case .scalar(let scalar):
            switch scalar {
            case .double, .float: return "\(value).bitPattern != 0"
            case .bool: return value
            case .string, .bytes: return "!\(value).isEmpty"
            default: return "\(value) != 0"
            }
        case .enumeration: return "\(value).rawValue != 0"
        case .message: return "true"
        }
    }

    // MARK: JSON

    /// The runtime wrapper that gives a value its proto3 JSON form when encoding, if any.
    static func jsonEncodeWrapper(_ type: FieldType) -> String? {
        guard case .scalar(let scalar) = type else { return nil }
        switch scalar {
        case .int64, .sint64, .sfixed64: return "ProtoJSONInt64"
        case .uint64, .fixed64: return "ProtoJSONUInt64"
        case .double: return "ProtoJSONDouble"
        case .float: return "ProtoJSONFloat"
        case .bytes: return "ProtoJSONBytes"
        default: return nil
        }
    }

    /// The runtime wrapper that accepts every proto3 JSON spelling of a value, if any.
    static func jsonDecodeWrapper(_ type: FieldType) -> String? {
        guard case .scalar(let scalar) = type else { return nil }
        switch scalar {
        case .int32, .sint32, .sfixed32: return "ProtoJSONInt32"
        case .uint32, .fixed32: return "ProtoJSONUInt32"
        default: return jsonEncodeWrapper(type)
        }
    }

    static func jsonEncodable(_ type: FieldType, _ value: String) -> String {
        jsonEncodeWrapper(type).map { "\($0)(\(value))" } ?? value
    }

    static func jsonEncodableArray(_ type: FieldType, _ value: String) -> String {
        jsonEncodeWrapper(type).map { "\(value).map(\($0).init)" } ?? value
    }

    func jsonDecode(_ type: FieldType, container: String, key: String) -> String {
        if let wrapper = Self.jsonDecodeWrapper(type) {
            return "try \(container).decode(\(wrapper).self, forKey: \(key)).value"
        }
        return "try \(container).decode(\(swiftType(type)).self, forKey: \(key))"
    }

    func jsonDecodeArray(_ type: FieldType, container: String, key: String) -> String {
        if let wrapper = Self.jsonDecodeWrapper(type) {
            return "try \(container).decode([\(wrapper)].self, forKey: \(key)).map(\\.value)"
        }
        return "try \(container).decode([\(swiftType(type))].self, forKey: \(key))"
    }
}
