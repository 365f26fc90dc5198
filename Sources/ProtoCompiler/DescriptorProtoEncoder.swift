/// Encodes a resolved file as a `google.protobuf.FileDescriptorProto` (descriptor.proto), the
/// form server reflection sends so that tools can call services without the `.proto` files.
///
/// Written by hand here because the compiler does not depend on the protobuf runtime. Maps
/// become `XxxEntry` nested messages and proto3 `optional` fields synthetic oneofs, as protoc does.
enum DescriptorProtoEncoder {
    static func encode(_ file: FileDescriptor) -> [UInt8] {
        var out = DescriptorWriter()
        out.string(1, file.path)
        if !file.package.isEmpty { out.string(2, file.package) }
        for dependency in file.dependencies { out.string(3, dependency) }
        for message in file.messages { out.message(4, encode(message)) }
        for enumeration in file.enums { out.message(5, encode(enumeration)) }
        for service in file.services { out.message(6, encode(service)) }
        for index in file.publicDependencies { out.varint(10, UInt64(index)) }
        out.string(12, "proto3")
        return out.bytes
    }

    private static func encode(_ message: MessageDescriptor) -> [UInt8] {
        var out = DescriptorWriter()
        out.string(1, message.name)
        // proto3 optional fields each get a synthetic oneof after the real ones.
        var syntheticOneofs: [String] = []
        var mapEntries: [[UInt8]] = []
        for field in message.fields {
            var syntheticIndex: Int?
            if field.isProto3Optional {
                syntheticIndex = message.oneofs.count + syntheticOneofs.count
                syntheticOneofs.append("_" + field.name)
            }
            if case .map(let key) = field.cardinality {
                let entryName = SwiftNaming.upperCamel(field.name) + "Entry"
                mapEntries.append(mapEntry(entryName, key: key, value: field.type))
                out.message(2, encodeField(field, typeName: "." + message.fullName + "." + entryName, syntheticOneof: nil))
            } else {
                out.message(2, encodeField(field, typeName: nil, syntheticOneof: syntheticIndex))
            }
        }
        for nested in message.messages { out.message(3, encode(nested)) }
        for entry in mapEntries { out.message(3, entry) }
        for enumeration in message.enums { out.message(4, encode(enumeration)) }
        for oneof in message.oneofs {
            var decl = DescriptorWriter()
            decl.string(1, oneof.name)
            out.message(8, decl.bytes)
        }
        for name in syntheticOneofs {
            var decl = DescriptorWriter()
            decl.string(1, name)
            out.message(8, decl.bytes)
        }
        if message.deprecated { out.message(7, options(deprecatedField: 3)) }
        // Message reserved ranges are end-exclusive on the wire.
        for range in message.reservedRanges { out.message(9, reservedRange(range.lowerBound, range.upperBound + 1)) }
        for name in message.reservedNames { out.string(10, name) }
        return out.bytes
    }

    private static func encodeField(_ field: FieldDescriptor, typeName: String?, syntheticOneof: Int?) -> [UInt8] {
        var out = DescriptorWriter()
        out.string(1, field.name)
        out.varint(3, UInt64(field.number))
        let label: UInt64
        switch field.cardinality {
        case .repeated, .map: label = 3
        default: label = 1
        }
        out.varint(4, label)
        if typeName != nil {
            out.varint(5, 11) // TYPE_MESSAGE: the map entry
        } else {
            out.varint(5, typeNumber(field.type))
        }
        if let typeName {
            out.string(6, typeName)
        } else if case .message(let name) = field.type {
            out.string(6, "." + name)
        } else if case .enumeration(let name) = field.type {
            out.string(6, "." + name)
        }
        var options = DescriptorWriter()
        if let packed = field.packedOption { options.varint(2, packed ? 1 : 0) }
        if field.deprecated { options.varint(3, 1) }
        if !options.bytes.isEmpty { out.message(8, options.bytes) }
        if let oneof = field.oneofIndex ?? syntheticOneof { out.varint(9, UInt64(oneof)) }
        out.string(10, field.jsonName)
        if field.isProto3Optional { out.varint(17, 1) }
        return out.bytes
    }

    private static func mapEntry(_ name: String, key: ScalarType, value: FieldType) -> [UInt8] {
        var out = DescriptorWriter()
        out.string(1, name)
        for (number, fieldName, type) in [(1, "key", FieldType.scalar(key)), (2, "value", value)] {
            var field = DescriptorWriter()
            field.string(1, fieldName)
            field.varint(3, UInt64(number))
            field.varint(4, 1)
            field.varint(5, typeNumber(type))
            if case .message(let typeName) = type { field.string(6, "." + typeName) }
            if case .enumeration(let typeName) = type { field.string(6, "." + typeName) }
            field.string(10, fieldName)
            out.message(2, field.bytes)
        }
        var options = DescriptorWriter()
        options.varint(7, 1) // map_entry
        out.message(7, options.bytes)
        return out.bytes
    }

    private static func encode(_ enumeration: EnumDescriptor) -> [UInt8] {
        var out = DescriptorWriter()
        out.string(1, enumeration.name)
        for value in enumeration.values {
            var entry = DescriptorWriter()
            entry.string(1, value.name)
            entry.varint(2, UInt64(bitPattern: Int64(value.number)))
            if value.deprecated { entry.message(3, options(deprecatedField: 1)) }
            out.message(2, entry.bytes)
        }
        var options = DescriptorWriter()
        if enumeration.values.contains(where: \.isAlias) { options.varint(2, 1) } // allow_alias
        if enumeration.deprecated { options.varint(3, 1) }
        if !options.bytes.isEmpty { out.message(3, options.bytes) }
        // Enum reserved ranges are end-inclusive.
        for range in enumeration.reservedRanges { out.message(4, reservedRange(range.lowerBound, range.upperBound)) }
        for name in enumeration.reservedNames { out.string(5, name) }
        return out.bytes
    }

    private static func reservedRange(_ start: Int, _ end: Int) -> [UInt8] {
        var out = DescriptorWriter()
        out.varint(1, UInt64(bitPattern: Int64(start)))
        out.varint(2, UInt64(bitPattern: Int64(end)))
        return out.bytes
    }

    private static func encode(_ service: ServiceDescriptorModel) -> [UInt8] {
        var out = DescriptorWriter()
        out.string(1, String(service.fullName.split(separator: ".").last ?? ""))
        for method in service.methods {
            var entry = DescriptorWriter()
            entry.string(1, method.name)
            entry.string(2, "." + method.inputFullName)
            entry.string(3, "." + method.outputFullName)
            if method.deprecated { entry.message(4, options(deprecatedField: 33)) }
            if method.clientStreaming { entry.varint(5, 1) }
            if method.serverStreaming { entry.varint(6, 1) }
            out.message(2, entry.bytes)
        }
        if service.deprecated { out.message(3, options(deprecatedField: 33)) }
        return out.bytes
    }

    private static func options(deprecatedField: Int) -> [UInt8] {
        var out = DescriptorWriter()
        out.varint(deprecatedField, 1)
        return out.bytes
    }

    /// FieldDescriptorProto.Type numbers.
    private static func typeNumber(_ type: FieldType) -> UInt64 {
        switch type {
        case .message: return 11
        case .enumeration: return 14
        case .scalar(let scalar):
            switch scalar {
            case .double: return 1
            case .float: return 2
            case .int64: return 3
            case .uint64: return 4
            case .int32: return 5
            case .fixed64: return 6
            case .fixed32: return 7
            case .bool: return 8
            case .string: return 9
            case .bytes: return 12
            case .uint32: return 13
            case .sfixed32: return 15
            case .sfixed64: return 16
            case .sint32: return 17
            case .sint64: return 18
            }
        }
    }
}

/// The few protobuf writes the descriptor encoder needs.
struct DescriptorWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ field: Int, _ value: UInt64) {
        raw(UInt64(field) << 3)
        raw(value)
    }

    mutating func string(_ field: Int, _ value: String) {
        message(field, Array(value.utf8))
    }

    mutating func message(_ field: Int, _ value: [UInt8]) {
        raw(UInt64(field) << 3 | 2)
        raw(UInt64(value.count))
        bytes += value
    }

    private mutating func raw(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
