/// Emits `Codable` conformance following the proto3 JSON mapping: lowerCamelCase (or
/// `json_name`) keys, proto names accepted on decode, defaults omitted, `null` as unset.
struct JSONCodingEmitter {
    let types: TypeLookup
    let access: String

    /// Well-known types whose JSON form is a string rather than an object.
    static let stringFormTypes: [String: (format: String, parse: String, label: String)] = [
        "google.protobuf.Timestamp": ("formatTimestamp", "parseTimestamp", "Timestamp"),
        "google.protobuf.Duration": ("formatDuration", "parseDuration", "Duration"),
    ]

    func emit(_ message: MessageDescriptor, into p: inout CodePrinter) {
        if let special = Self.stringFormTypes[message.fullName], Self.hasSecondsAndNanos(message) {
            emitStringForm(special, into: &p)
            return
        }
        p.block("\(access)func encode(to encoder: any Encoder) throws") { p in
            if message.fields.isEmpty {
                p.line("_ = encoder.container(keyedBy: ProtoJSONKey.self)")
                return
            }
            p.line("var container = encoder.container(keyedBy: ProtoJSONKey.self)")
            for field in message.fields.sorted(by: { $0.number < $1.number }) {
                emitEncode(field, message: message, into: &p)
            }
        }
        p.line()
        p.block("\(access)init(from decoder: any Decoder) throws") { p in
            p.line("self.init()")
            p.line("let container = try decoder.container(keyedBy: ProtoJSONKey.self)")
            p.block("for key in container.allKeys") { p in
                p.line("if try container.decodeNil(forKey: key) { continue }")
                p.line("switch key.stringValue {")
                for field in message.fields {
                    emitDecode(field, message: message, into: &p)
                }
                p.line("default: throw ProtoJSONError.unknownField(key, in: Self.protoMessageName, codingPath: container.codingPath)")
                p.line("}")
            }
        }
    }

    /// The string forms apply to the real well-known types only, not to a file that
    /// declares a message of the same name with other fields.
    static func hasSecondsAndNanos(_ message: MessageDescriptor) -> Bool {
        message.fields.count == 2
            && message.fields.contains { $0.name == "seconds" && $0.number == 1 && $0.type == .scalar(.int64) && $0.cardinality == .singular }
            && message.fields.contains { $0.name == "nanos" && $0.number == 2 && $0.type == .scalar(.int32) && $0.cardinality == .singular }
    }

    private func key(_ field: FieldDescriptor) -> String {
        "ProtoJSONKey(\(SwiftNaming.stringLiteral(field.jsonName)))"
    }

    private func emitEncode(_ field: FieldDescriptor, message: MessageDescriptor, into p: inout CodePrinter) {
        let value = "self." + field.swiftName
        if let oneofIndex = field.oneofIndex {
            let oneof = "self." + message.oneofs[oneofIndex].swiftName
            p.line("if case .\(field.swiftName)(let value)? = \(oneof) { try container.encode(\(TypeLookup.jsonEncodable(field.type, "value")), forKey: \(key(field))) }")
            return
        }
        switch field.cardinality {
        case .singular:
            p.line("if \(TypeLookup.isNonDefault(field.type, value)) { try container.encode(\(TypeLookup.jsonEncodable(field.type, value)), forKey: \(key(field))) }")
        case .optional:
            p.line("if let value = \(value) { try container.encode(\(TypeLookup.jsonEncodable(field.type, "value")), forKey: \(key(field))) }")
        case .repeated:
            p.line("if !\(value).isEmpty { try container.encode(\(TypeLookup.jsonEncodableArray(field.type, value)), forKey: \(key(field))) }")
        case .map(let keyType):
            p.block("if !\(value).isEmpty") { p in
                p.line("var map = container.nestedContainer(keyedBy: ProtoJSONKey.self, forKey: \(key(field)))")
                let mapKey = keyType == .string ? "ProtoJSONKey(key)" : "ProtoJSONKey(String(key))"
                p.line("for (key, value) in \(value) { try map.encode(\(TypeLookup.jsonEncodable(field.type, "value")), forKey: \(mapKey)) }")
            }
        }
    }

    private func emitDecode(_ field: FieldDescriptor, message: MessageDescriptor, into p: inout CodePrinter) {
        let names = field.jsonName == field.name
            ? SwiftNaming.stringLiteral(field.name)
            : SwiftNaming.stringLiteral(field.jsonName) + ", " + SwiftNaming.stringLiteral(field.name)
        let value = "self." + field.swiftName
        if let oneofIndex = field.oneofIndex {
            let oneof = "self." + message.oneofs[oneofIndex].swiftName
            p.line("case \(names): \(oneof) = .\(field.swiftName)(\(types.jsonDecode(field.type, container: "container", key: "key")))")
            return
        }
        switch field.cardinality {
        case .singular, .optional:
            p.line("case \(names): \(value) = \(types.jsonDecode(field.type, container: "container", key: "key"))")
        case .repeated:
            p.line("case \(names): \(value) = \(types.jsonDecodeArray(field.type, container: "container", key: "key"))")
        case .map(let keyType):
            p.line("case \(names):")
            p.indent()
            p.line("let map = try container.nestedContainer(keyedBy: ProtoJSONKey.self, forKey: key)")
            p.block("for entryKey in map.allKeys") { p in
                let parsedKey = keyType == .string
                    ? "entryKey.stringValue"
                    : "try ProtoJSONMapKey.parse(entryKey, as: \(TypeLookup.swiftType(keyType)).self, codingPath: map.codingPath)"
                p.line("\(value)[\(parsedKey)] = \(types.jsonDecode(field.type, container: "map", key: "entryKey"))")
            }
            p.outdent()
        }
    }

    private func emitStringForm(_ special: (format: String, parse: String, label: String), into p: inout CodePrinter) {
        p.block("\(access)func encode(to encoder: any Encoder) throws") { p in
            p.line("var container = encoder.singleValueContainer()")
            p.block("do") { p in
                p.line("try container.encode(try ProtoJSONTime.\(special.format)(seconds: seconds, nanos: nanos))")
            }
            p.block("catch") { p in
                p.line("throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: \"\(special.label) out of range\"))")
            }
        }
        p.line()
        p.block("\(access)init(from decoder: any Decoder) throws") { p in
            p.line("self.init()")
            p.line("let container = try decoder.singleValueContainer()")
            p.line("let text = try container.decode(String.self)")
            p.block("do") { p in
                p.line("(seconds, nanos) = try ProtoJSONTime.\(special.parse)(text)")
            }
            p.block("catch") { p in
                p.line("throw DecodingError.dataCorruptedError(in: container, debugDescription: \"invalid \(special.label) \\\"\\(text)\\\"\")")
            }
        }
    }
}
