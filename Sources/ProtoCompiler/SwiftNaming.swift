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

    /// Type names that have a meaning after a dot in Swift (`Foo.Type`).
    static let reservedTypeNames: Set<String> = ["Type", "Protocol", "Self", "Any", "self", "init"]

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
        if name.isEmpty || name.first!.isNumber { name = "_" + name }
        if reservedMemberNames.contains(name) { name += "_" }
        return name
    }

    static func typeName(_ protoName: String) -> String {
        reservedTypeNames.contains(protoName) ? protoName + "Message" : protoName
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
        reservedTypeNames.contains(name) ? name + "Method" : name
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
