// The checks protoc makes on a message's fields and an enum's values.

enum MessageValidation {
    static func check(_ message: MessageAST, fullName: String) throws(CompileError) {
        var numbers: [Int: String] = [:]
        var names: Set<String> = []
        var jsonNames: [String: String] = [:]
        for field in message.fields {
            guard names.insert(field.name).inserted else {
                throw CompileError("\"\(field.name)\" is already defined in \"\(fullName)\"", at: field.location)
            }
            if let other = numbers[field.number] {
                throw CompileError("field number \(field.number) has already been used in \"\(fullName)\" by field \"\(other)\"", at: field.numberLocation)
            }
            numbers[field.number] = field.name
            if FieldNumbers.implementationReserved.contains(field.number) {
                throw CompileError("field numbers 19000 through 19999 are reserved for the protocol buffer library implementation", at: field.numberLocation)
            }
            if message.reservedRanges.contains(where: { $0.contains(field.number) }) {
                throw CompileError("field \"\(field.name)\" uses reserved number \(field.number)", at: field.numberLocation)
            }
            if message.reservedNames.contains(field.name) {
                throw CompileError("field name \"\(field.name)\" is reserved", at: field.location)
            }
            let jsonName = field.options.first { $0.name == "json_name" }?.stringValue ?? SwiftNaming.jsonName(field.name)
            if let other = jsonNames[jsonName.lowercased()] {
                throw CompileError("the JSON camel-case name of field \"\(field.name)\" conflicts with field \"\(other)\"; this is not allowed in proto3", at: field.location)
            }
            jsonNames[jsonName.lowercased()] = field.name
        }
        for oneof in message.oneofs where !names.insert(oneof.name).inserted {
            throw CompileError("\"\(oneof.name)\" is already defined in \"\(fullName)\"", at: oneof.location)
        }
        // Nested types and the values of nested enums share the message's scope with fields.
        let scopedNames = Set(message.messages.map(\.name) + message.enums.map(\.name) + message.enums.flatMap { $0.values.map(\.name) })
        for field in message.fields where scopedNames.contains(field.name) {
            throw CompileError("\"\(field.name)\" is already defined in \"\(fullName)\"", at: field.location)
        }
        for oneof in message.oneofs where scopedNames.contains(oneof.name) {
            throw CompileError("\"\(oneof.name)\" is already defined in \"\(fullName)\"", at: oneof.location)
        }
        var nestedNames: Set<String> = []
        for nested in message.messages where !nestedNames.insert(nested.name).inserted {
            throw CompileError("\"\(nested.name)\" is already defined in \"\(fullName)\"", at: nested.location)
        }
    }

    /// Generated Swift members must not collide, even where the proto names differ.
    static func checkSwiftNames(fields: [FieldDescriptor], oneofs: [OneofDescriptor], message: MessageAST) throws(CompileError) {
        var seen: [String: String] = [:]
        for (field, ast) in zip(fields, message.fields) where field.oneofIndex == nil {
            if let other = seen[field.swiftName] {
                throw CompileError("field \"\(field.name)\" and \"\(other)\" would both be named \"\(field.swiftName)\" in Swift", at: ast.location)
            }
            seen[field.swiftName] = field.name
        }
        for (oneof, ast) in zip(oneofs, message.oneofs) {
            if let other = seen[oneof.swiftName] {
                throw CompileError("oneof \"\(oneof.name)\" and \"\(other)\" would both be named \"\(oneof.swiftName)\" in Swift", at: ast.location)
            }
            seen[oneof.swiftName] = oneof.name
        }
    }
}

enum EnumValidation {
    static func check(_ enumeration: EnumAST) throws(CompileError) {
        guard let first = enumeration.values.first else {
            throw CompileError("enum \"\(enumeration.name)\" must contain at least one value", at: enumeration.location)
        }
        guard first.number == 0 else {
            throw CompileError("the first enum value must be zero in proto3", at: first.location)
        }
        var allowAlias = false
        if let option = enumeration.options.first(where: { $0.name == "allow_alias" }) {
            guard let value = option.boolValue else { throw CompileError("option \"allow_alias\" must be true or false", at: option.location) }
            allowAlias = value
        }
        var numbers: [Int32: String] = [:]
        var names: Set<String> = []
        var conflictKeys: [String: EnumValueAST] = [:]
        var aliased = false
        for value in enumeration.values {
            let key = SwiftNaming.enumValueConflictKey(enumName: enumeration.name, value: value.name)
            if let other = conflictKeys[key], other.number != value.number {
                throw CompileError("enum value \"\(value.name)\" has the same name as \"\(other.name)\" if you ignore case, underscores and the enum name prefix; give them the same number (with allow_alias) or different names", at: value.location)
            }
            conflictKeys[key] = conflictKeys[key] ?? value
            guard names.insert(value.name).inserted else {
                throw CompileError("\"\(value.name)\" is already defined in enum \"\(enumeration.name)\"", at: value.location)
            }
            if let other = numbers[value.number] {
                guard allowAlias else {
                    throw CompileError("\"\(value.name)\" uses the same enum value (\(value.number)) as \"\(other)\"; set option allow_alias = true; to allow this", at: value.location)
                }
                aliased = true
            } else {
                numbers[value.number] = value.name
            }
            if enumeration.reservedRanges.contains(where: { $0.contains(Int(value.number)) }) {
                throw CompileError("enum value \"\(value.name)\" uses reserved number \(value.number)", at: value.location)
            }
            if enumeration.reservedNames.contains(value.name) {
                throw CompileError("enum value name \"\(value.name)\" is reserved", at: value.location)
            }
        }
        if allowAlias && !aliased {
            throw CompileError("\"\(enumeration.name)\" declares option allow_alias = true but no values share a number", at: enumeration.location)
        }
    }
}
