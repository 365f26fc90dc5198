/// How protobuf names become Swift names (the same rules as swift-protobuf where they overlap).
enum SwiftNaming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "some", "any", "consume", "copy", "discard", "each", "borrowing", "consuming",
    ]

    /// Property names the generated code itself uses; a field with one of them gets a `_` suffix.
    static let reservedMemberNames: Set<String> = [
        "unknownFields", "protoMessageName", "hashValue", "serializedSize", "serializedBytes", "encode", "decode", "merge",
        // `self.self` and `self.init` mean something else in Swift.
        "self", "init",
    ]

    /// Enum case names that cannot follow a dot (`.init`, `.self`) or that the generator uses.
    static let reservedCaseNames: Set<String> = ["init", "self", "unrecognized"]

    /// Type names a generated type must not take: those with a meaning after a dot in Swift
    /// (`Foo.Type`), and every type the generated code names unqualified, which a nested type
    /// of the same name would shadow. Such a type gets a `Message` suffix.
    static let reservedTypeNames: Set<String> = [
        "Type", "Protocol", "Self", "Any", "self", "init",
        "String", "Int", "Int32", "Int64", "UInt8", "UInt32", "UInt64", "Bool", "Double", "Float", "Array",
        "Dictionary", "Optional", "Encoder", "Decoder", "Codable", "Hashable", "Sendable", "Error", "DecodingError",
        "EncodingError", "Result", "Duration", "Never", "Void", "Hasher", "Equatable", "Task", "CodingKey",
        "ProtoMessage", "ProtoEnum", "ProtoReader", "ProtoWriter", "ProtoSize", "ProtoBox", "ProtoJSONKey", "ProtoJSONError",
        "ProtoJSONMapKey", "ProtoJSONInt32", "ProtoJSONUInt32", "ProtoJSONInt64", "ProtoJSONUInt64", "ProtoJSONDouble",
        "ProtoJSONFloat", "ProtoJSONBytes", "ProtoJSONTime", "UnknownFields", "FieldTag", "WireType", "ProtoDecodingError",
        "ProtoFiles", "ProtoFileDescriptor", "ServerContext", "MessageWriter", "MessageStream", "ServerMethods",
        "RPCServerMethod", "RPCClientTransport", "RPCCallOptions", "ClientCalls", "ResponseStream", "StreamingCall",
        "Metadata", "MethodDescriptor", "ServiceDescriptor", "RPCKind",
    ]

    /// protoc's json_name: underscores removed, the letter after each one upper-cased.
    static func jsonName(_ name: String) -> String {
        var result = ""
        var capitalizeNext = false
        for char in name {
            if char == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result += char.uppercased()
                capitalizeNext = false
            } else {
                result.append(char)
            }
        }
        return result
    }

    /// lowerCamelCase from snake_case (or already camel) text.
    static func lowerCamel(_ name: String) -> String {
        let camel = jsonName(name)
        guard let first = camel.first else { return camel }
        return first.lowercased() + camel.dropFirst()
    }

    static func upperCamel(_ name: String) -> String {
        let camel = jsonName(name)
        guard let first = camel.first else { return camel }
        return first.uppercased() + camel.dropFirst()
    }

    /// The type-name prefix of a package: `hodei.v1` → `Hodei_V1_`.
    static func packagePrefix(_ package: String) -> String {
        guard !package.isEmpty else { return "" }
        return package.split(separator: ".").map { upperCamel(String($0)) }.joined(separator: "_") + "_"
    }

    /// A Swift identifier for a field or case, backticked when it is a keyword.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    static func fieldName(_ protoName: String) -> String {
        var name = lowerCamel(protoName)
        // `_` alone is a keyword; a name of only underscores camel-cases to nothing.
        if name.isEmpty { return protoName + "_" + "field" }
        if name.first!.isNumber { name = "_" + name }
        if reservedMemberNames.contains(name) { name += "_" }
        return name
    }

    static func typeName(_ protoName: String) -> String {
        reservedTypeNames.contains(protoName) || protoName.allSatisfy({ $0 == "_" }) ? protoName + "Message" : protoName
    }

    /// Converts `JOB_STATE` style and `JobState` style names to one comparable form.
    private static func normalized(_ name: String) -> String {
        name.replacingUnderscores().uppercased()
    }

    /// Case names for an enum's values: the enum-name prefix dropped, lowerCamelCase.
    /// `isAlias` marks values that repeat an earlier number; only the others must be unique.
    static func enumCaseNames(enumName: String, values: [String], isAlias: [Bool]? = nil) -> [String] {
        let prefix = normalized(enumName)
        func stripped(_ value: String) -> String? {
            guard normalized(value).hasPrefix(prefix), normalized(value).count > prefix.count else { return nil }
            var consumed = 0
            var index = value.startIndex
            while consumed < prefix.count, index < value.endIndex {
                if value[index] != "_" { consumed += 1 }
                index = value.index(after: index)
            }
            let rest = value[index...].drop { $0 == "_" }
            return rest.isEmpty ? nil : String(rest)
        }
        func camel(_ raw: String) -> String {
            let parts = raw.split(separator: "_").map { $0.lowercased() }
            guard let head = parts.first else { return raw.lowercased() }
            return head + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        var names = values.map { value -> String in
            let candidate = camel(stripped(value) ?? value)
            return candidate.first?.isNumber == false ? candidate : camel(value)
        }
        let primaries = zip(names, isAlias ?? names.map { _ in false }).filter { !$0.1 }.map(\.0)
        if Set(primaries).count != primaries.count {
            names = values.map { camel($0) }
        }
        return names.map { reservedCaseNames.contains($0) ? $0 + "_" : $0 }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(filter { $0 != "_" })
    }
}

extension SwiftNaming {
    /// The nested enum that names an rpc method in a service's `Method` namespace.
    static func methodTypeName(_ name: String) -> String {
        reservedTypeNames.contains(name) || name.allSatisfy({ $0 == "_" }) ? name + "Method" : name
    }

    /// An enum value name as protoc compares them for conflicts: enum-name prefix dropped,
    /// underscores removed, case folded.
    static func enumValueConflictKey(enumName: String, value: String) -> String {
        let prefix = enumName.uppercased().filter { $0 != "_" }
        var key = value.uppercased().filter { $0 != "_" }
        if key.hasPrefix(prefix), key.count > prefix.count { key.removeFirst(prefix.count) }
        return key
    }
}

extension SwiftNaming {
    /// `text` as a Swift string literal, quotes included: backslashes, quotes and control
    /// characters escaped, so nothing from a `.proto` file can end the literal or interpolate.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// True for a valid Swift identifier prefix (`swift_prefix`): ASCII letters, digits and
    /// underscores, not starting with a digit.
    static func isIdentifierPrefix(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return text.isEmpty }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

extension SwiftNaming {
    /// A top-level type's Swift name: the package prefix, or, without one, a name that must
    /// itself avoid the reserved names.
    static func topLevelName(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? typeName(name) : prefix + name
    }
}
