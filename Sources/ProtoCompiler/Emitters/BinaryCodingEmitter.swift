/// Emits `serializedSize()`, `encode(to:)` and `decode(from:)`: the binary wire format
/// written out per field, in field-number order as protobuf serializers do.
struct BinaryCodingEmitter {
    let types: TypeLookup
    let access: String

    func emit(_ message: MessageDescriptor, into p: inout CodePrinter) {
        let ordered = message.fields.sorted { $0.number < $1.number }
        p.block("\(access)func serializedSize() -> Int") { p in
            if ordered.isEmpty {
                p.line("return unknownFields.bytes.count")
                return
            }
            p.line("var size = 0")
            for field in ordered { emitSize(field, message: message, into: &p) }
            p.line("return size + unknownFields.bytes.count")
        }
        p.line()
        p.block("\(access)func encode(to writer: inout ProtoWriter)") { p in
            for field in ordered { emitEncode(field, message: message, into: &p) }
            p.line("writer.writeUnknownFields(unknownFields)")
        }
        p.line()
        p.block("\(access)mutating func decode(from reader: inout ProtoReader) throws(ProtoDecodingError)") { p in
            p.block("while let tag = try reader.nextTag()") { p in
                p.line("switch tag.fieldNumber {")
                for field in ordered { emitDecode(field, message: message, into: &p) }
                p.line("default: try reader.skipField(tag, into: &unknownFields)")
                p.line("}")
            }
        }
    }

    private func property(_ field: FieldDescriptor) -> String {
        "self." + field.swiftName
    }

    private func oneofCase(_ field: FieldDescriptor, _ message: MessageDescriptor) -> String? {
        field.oneofIndex.map { "if case .\(field.swiftName)(let value)? = self.\(message.oneofs[$0].swiftName)" }
    }

    // MARK: Size

    private func emitSize(_ field: FieldDescriptor, message: MessageDescriptor, into p: inout CodePrinter) {
        let keySize = TypeLookup.keySize(field.number)
        if let condition = oneofCase(field, message) {
            p.line("\(condition) { size += \(keySize) + \(TypeLookup.valueSize(field.type, "value")) }")
            return
        }
        let value = property(field)
        switch field.cardinality {
        case .singular:
            p.line("if \(TypeLookup.isNonDefault(field.type, value)) { size += \(keySize) + \(TypeLookup.valueSize(field.type, value)) }")
        case .optional:
            p.line("if let value = \(value) { size += \(keySize) + \(TypeLookup.valueSize(field.type, "value")) }")
        case .repeated(let packed):
            if packed {
                p.block("if !\(value).isEmpty") { p in
                    p.line("size += \(keySize) + ProtoSize.lengthDelimited(\(packedSize(field.type, value)))")
                }
            } else if case .scalar(let scalar) = field.type, let width = fixedWidth(scalar) {
                p.line("size += \(value).count * \(keySize + width)")
            } else {
                p.line("for value in \(value) { size += \(keySize) + \(TypeLookup.valueSize(field.type, "value")) }")
            }
        case .map(let key):
            p.block("for (key, value) in \(value)") { p in
                p.line("let entry = \(mapEntrySize(key, field.type))")
                p.line("size += \(keySize) + ProtoSize.lengthDelimited(entry)")
            }
        }
    }

    private func fixedWidth(_ scalar: ScalarType) -> Int? {
        switch scalar {
        case .double, .fixed64, .sfixed64: return 8
        case .float, .fixed32, .sfixed32: return 4
        case .bool: return 1
        default: return nil
        }
    }

    private func packedSize(_ type: FieldType, _ value: String) -> String {
        switch type {
        case .scalar(let scalar): return "ProtoSize.packed\(TypeLookup.runtimeName(scalar))(\(value))"
        default: return "ProtoSize.packedEnum(\(value))"
        }
    }

    private func mapEntrySize(_ key: ScalarType, _ valueType: FieldType) -> String {
        "2 + \(TypeLookup.valueSize(.scalar(key), "key")) + \(TypeLookup.valueSize(valueType, "value"))"
    }

    // MARK: Encode

    private func emitEncode(_ field: FieldDescriptor, message: MessageDescriptor, into p: inout CodePrinter) {
        // A map entry is an embedded message, whatever its value type.
        let isMap = if case .map = field.cardinality { true } else { false }
        let key = TypeLookup.key(field.number, isMap ? 2 : TypeLookup.wireType(field.type))
        if let condition = oneofCase(field, message) {
            p.block(condition) { p in
                p.line("writer.writeTag(\(key))")
                p.line(TypeLookup.writeValue(field.type, "value"))
            }
            return
        }
        let value = property(field)
        switch field.cardinality {
        case .singular:
            p.block("if \(TypeLookup.isNonDefault(field.type, value))") { p in
                p.line("writer.writeTag(\(key))")
                p.line(TypeLookup.writeValue(field.type, value))
            }
        case .optional:
            p.block("if let value = \(value)") { p in
                p.line("writer.writeTag(\(key))")
                p.line(TypeLookup.writeValue(field.type, "value"))
            }
        case .repeated(let packed):
            if packed {
                let packedKey = TypeLookup.key(field.number, 2)
                p.block("if !\(value).isEmpty") { p in
                    p.line("writer.writeTag(\(packedKey))")
                    switch field.type {
                    case .scalar(let scalar): p.line("writer.writePacked\(TypeLookup.runtimeName(scalar))(\(value))")
                    default: p.line("writer.writePackedEnum(\(value))")
                    }
                }
            } else {
                p.block("for value in \(value)") { p in
                    p.line("writer.writeTag(\(key))")
                    p.line(TypeLookup.writeValue(field.type, "value"))
                }
            }
        case .map(let keyType):
            let entryKey = TypeLookup.key(1, TypeLookup.wireType(.scalar(keyType)))
            let entryValue = TypeLookup.key(2, TypeLookup.wireType(field.type))
            p.block("for (key, value) in \(value)") { p in
                p.line("writer.writeTag(\(key))")
                p.line("writer.writeVarint(UInt64(\(mapEntrySize(keyType, field.type))))")
                p.line("writer.writeTag(\(entryKey))")
                p.line(TypeLookup.writeValue(.scalar(keyType), "key"))
                p.line("writer.writeTag(\(entryValue))")
                p.line(TypeLookup.writeValue(field.type, "value"))
            }
        }
    }

    // MARK: Decode

    /// An expression reading a scalar or enum value; messages are read in place instead.
    private func readValue(_ type: FieldType, reader: String = "reader", tag: String = "tag") -> String {
        if case .scalar(let scalar) = type {
            return "try \(reader).read\(TypeLookup.runtimeName(scalar))(\(tag))"
        }
        return "\(types.swiftType(type))(rawValue: try \(reader).readEnum(\(tag)))"
    }

    private func emitDecode(_ field: FieldDescriptor, message: MessageDescriptor, into p: inout CodePrinter) {
        let value = property(field)
        p.line("case \(field.number):")
        p.indent()
        defer { p.outdent() }
        if let oneofIndex = field.oneofIndex {
            let oneof = "self." + message.oneofs[oneofIndex].swiftName
            if case .message = field.type {
                // A message member that appears again merges into the one already set.
                p.line("var nested = try reader.nestedReader(tag)")
                p.line("var value = \(types.defaultValue(field.type))")
                p.line("if case .\(field.swiftName)(let existing)? = \(oneof) { value = existing }")
                p.line("try value.decode(from: &nested)")
                p.line("\(oneof) = .\(field.swiftName)(value)")
            } else {
                p.line("\(oneof) = .\(field.swiftName)(\(readValue(field.type)))")
            }
            return
        }
        switch field.cardinality {
        case .singular, .optional:
            if case .message = field.type {
                // Merges into a value already present, as protobuf specifies.
                p.line("var nested = try reader.nestedReader(tag)")
                p.line("var value = \(value) ?? \(types.defaultValue(field.type))")
                p.line("try value.decode(from: &nested)")
                p.line("\(value) = value")
            } else {
                p.line("\(value) = \(readValue(field.type))")
            }
        case .repeated:
            switch field.type {
            case .scalar(let scalar): p.line("try reader.readRepeated\(TypeLookup.runtimeName(scalar))(tag, into: &\(value))")
            case .enumeration: p.line("try reader.readRepeatedEnum(tag, into: &\(value))")
            case .message:
                p.line("var nested = try reader.nestedReader(tag)")
                p.line("var value = \(types.defaultValue(field.type))")
                p.line("try value.decode(from: &nested)")
                p.line("\(value).append(value)")
            }
        case .map(let keyType):
            p.line("var entry = try reader.nestedReader(tag)")
            p.line("var key: \(TypeLookup.swiftType(keyType)) = \(types.defaultValue(.scalar(keyType)))")
            p.line("var value: \(types.swiftType(field.type)) = \(types.defaultValue(field.type))")
            p.block("while let entryTag = try entry.nextTag()") { p in
                p.line("switch entryTag.fieldNumber {")
                p.line("case 1: key = \(readValue(.scalar(keyType), reader: "entry", tag: "entryTag"))")
                if case .message = field.type {
                    p.line("case 2:")
                    p.line("    var nested = try entry.nestedReader(entryTag)")
                    p.line("    try value.decode(from: &nested)")
                } else {
                    p.line("case 2: value = \(readValue(field.type, reader: "entry", tag: "entryTag"))")
                }
                p.line("default: try entry.skipField(entryTag)")
                p.line("}")
            }
            p.line("\(value)[key] = value")
        }
    }
}
