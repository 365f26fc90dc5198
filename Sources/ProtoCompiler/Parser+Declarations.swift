// Messages, fields, oneofs, enums and services.

extension Parser {
    static let scalarTypes: Set<String> = [
        "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
        "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
    ]

    mutating func parseMessage() throws(CompileError) -> MessageAST {
        let keyword = advance()
        // Bounds the recursion of the parser and of every later pass over nested types.
        guard messageDepth < Parser.maxMessageDepth else {
            throw error("messages nested more than \(Parser.maxMessageDepth) deep", keyword)
        }
        messageDepth += 1
        defer { messageDepth -= 1 }
        let name = try expectIdentifier("message name")
        var message = MessageAST(name: name, location: keyword.location, comment: keyword.leadingComment)
        try expect("{", "after message name")
        while !accept("}") {
            guard current.kind != .endOfFile else { throw error("message \"\(name)\" is not closed with \"}\"", keyword) }
            try parseMessageElement(into: &message)
        }
        return message
    }

    mutating func parseMessageElement(into message: inout MessageAST) throws(CompileError) {
        if accept(";") { return }
        let token = current
        let nextIsName = peek(1).identifier != nil
        switch token.identifier {
        case "message" where nextIsName && peek(2).isSymbol("{"):
            message.messages.append(try parseMessage())
        case "enum" where nextIsName && peek(2).isSymbol("{"):
            message.enums.append(try parseEnum())
        case "oneof" where nextIsName && peek(2).isSymbol("{"):
            try parseOneof(into: &message)
        case "option" where !peek(1).isSymbol("="):
            message.options.append(try parseOptionStatement())
        case "reserved" where !peek(1).isSymbol("="):
            try parseReserved(ranges: &message.reservedRanges, names: &message.reservedNames, min: 1, max: FieldNumbers.max)
        case "extensions" where !peek(1).isSymbol("="):
            throw error("extension ranges are not supported in proto3 (\"extensions\" is proto2-only)")
        case "extend" where nextIsName:
            throw error("extensions are not supported in proto3 (\"extend\" is proto2-only)")
        default:
            message.fields.append(try parseField(oneofIndex: nil))
        }
    }

    /// `[repeated|optional] type name = number [options];` or `map<K, V> name = number;`
    mutating func parseField(oneofIndex: Int?) throws(CompileError) -> FieldAST {
        let start = current
        var label = FieldAST.Label.singular
        // A label keyword is a label only when a type and a name follow it.
        if let word = current.identifier, ["repeated", "optional", "required"].contains(word), !peek(1).isSymbol("="), !peek(2).isSymbol("=") || peek(1).isSymbol(".") {
            if word == "required" { throw error("\"required\" is proto2-only; proto3 fields are optional") }
            if oneofIndex != nil { throw error("fields in a oneof must not have labels (\"\(word)\")") }
            label = word == "repeated" ? .repeated : .optional
            _ = advance()
        }
        if current.isKeyword("group") && peek(1).identifier != nil {
            throw error("groups are not supported (proto2-only); use a nested message")
        }
        let typeToken = current
        let type: FieldAST.TypeRef
        if current.isKeyword("map") && peek(1).isSymbol("<") {
            guard label == .singular else { throw error("map fields cannot be \(label == .repeated ? "repeated" : "optional")", start) }
            guard oneofIndex == nil else { throw error("map fields are not allowed in a oneof") }
            _ = advance()
            _ = advance()
            let key = try expectFullIdentifier("map key type")
            try expect(",", "between map key and value types")
            let value = try expectFullIdentifier("map value type")
            try expect(">", "to close the map type")
            type = .map(key: key, value: value)
        } else {
            type = .named(try expectFullIdentifier("field type"))
        }
        let name = try expectIdentifier("field name")
        try expect("=", "after field name \"\(name)\"")
        let numberToken = current
        let (negative, magnitude) = try expectInteger("field number")
        guard !negative, magnitude >= 1, magnitude <= UInt64(FieldNumbers.max) else {
            throw error("field numbers must be between 1 and \(FieldNumbers.max)", numberToken)
        }
        let options = try parseOptionList()
        if let option = options.first(where: { $0.name == "default" }) {
            throw CompileError("explicit default values are not allowed in proto3", at: option.location)
        }
        try expect(";", "after field \"\(name)\"")
        return FieldAST(
            name: name, number: Int(magnitude), label: label, type: type, typeLocation: typeToken.location,
            options: options, location: start.location, numberLocation: numberToken.location,
            comment: start.leadingComment, oneofIndex: oneofIndex
        )
    }

    mutating func parseOneof(into message: inout MessageAST) throws(CompileError) {
        let keyword = advance()
        let name = try expectIdentifier("oneof name")
        let oneofIndex = message.oneofs.count
        message.oneofs.append(OneofAST(name: name, location: keyword.location, comment: keyword.leadingComment))
        try expect("{", "after oneof name")
        var memberCount = 0
        while !accept("}") {
            guard current.kind != .endOfFile else { throw error("oneof \"\(name)\" is not closed with \"}\"", keyword) }
            if accept(";") { continue }
            if current.isKeyword("option") && !peek(1).isSymbol("=") {
                _ = try parseOptionStatement()
                continue
            }
            message.fields.append(try parseField(oneofIndex: oneofIndex))
            memberCount += 1
        }
        guard memberCount > 0 else { throw error("oneof \"\(name)\" must have at least one field", keyword) }
    }

    mutating func parseEnum() throws(CompileError) -> EnumAST {
        let keyword = advance()
        let name = try expectIdentifier("enum name")
        var result = EnumAST(name: name, location: keyword.location, comment: keyword.leadingComment)
        try expect("{", "after enum name")
        while !accept("}") {
            guard current.kind != .endOfFile else { throw error("enum \"\(name)\" is not closed with \"}\"", keyword) }
            if accept(";") { continue }
            if current.isKeyword("option") && !peek(1).isSymbol("=") {
                result.options.append(try parseOptionStatement())
            } else if current.isKeyword("reserved") && !peek(1).isSymbol("=") {
                try parseReserved(ranges: &result.reservedRanges, names: &result.reservedNames, min: Int(Int32.min), max: Int(Int32.max))
            } else {
                let start = current
                let valueName = try expectIdentifier("enum value name")
                try expect("=", "after enum value name \"\(valueName)\"")
                let numberToken = current
                let (negative, magnitude) = try expectInteger("enum value number")
                guard magnitude <= UInt64(Int32.max) + (negative ? 1 : 0) else {
                    throw error("enum value \"\(valueName)\" is out of the int32 range", numberToken)
                }
                let options = try parseOptionList()
                try expect(";", "after enum value \"\(valueName)\"")
                let number = negative ? Int32(truncatingIfNeeded: -Int64(magnitude)) : Int32(magnitude)
                result.values.append(EnumValueAST(name: valueName, number: number, location: start.location, comment: start.leadingComment, options: options))
            }
        }
        return result
    }

    mutating func parseService() throws(CompileError) -> ServiceAST {
        let keyword = advance()
        let name = try expectIdentifier("service name")
        var service = ServiceAST(name: name, location: keyword.location, comment: keyword.leadingComment)
        try expect("{", "after service name")
        while !accept("}") {
            guard current.kind != .endOfFile else { throw error("service \"\(name)\" is not closed with \"}\"", keyword) }
            if accept(";") { continue }
            if current.isKeyword("option") {
                service.options.append(try parseOptionStatement())
                continue
            }
            guard current.isKeyword("rpc") else { throw error("expected \"rpc\" or \"option\" in service, found \(current.spelling)") }
            service.methods.append(try parseMethod())
        }
        return service
    }

    mutating func parseMethod() throws(CompileError) -> MethodAST {
        let keyword = advance()
        let name = try expectIdentifier("method name")
        try expect("(", "after method name")
        let clientStreaming = current.isKeyword("stream") && peek(1).identifier != nil || (current.isKeyword("stream") && peek(1).isSymbol("."))
        if clientStreaming { _ = advance() }
        let inputLocation = current.location
        let input = try expectFullIdentifier("request type")
        try expect(")", "after request type")
        guard current.isKeyword("returns") else { throw error("expected \"returns\", found \(current.spelling)") }
        _ = advance()
        try expect("(", "after returns")
        let serverStreaming = current.isKeyword("stream") && (peek(1).identifier != nil || peek(1).isSymbol("."))
        if serverStreaming { _ = advance() }
        let outputLocation = current.location
        let output = try expectFullIdentifier("response type")
        try expect(")", "after response type")
        var options: [OptionAST] = []
        if accept("{") {
            while !accept("}") {
                guard current.kind != .endOfFile else { throw error("rpc \"\(name)\" is not closed with \"}\"", keyword) }
                if accept(";") { continue }
                guard current.isKeyword("option") else { throw error("expected \"option\" in rpc body, found \(current.spelling)") }
                options.append(try parseOptionStatement())
            }
            _ = accept(";")
        } else {
            try expect(";", "after rpc \"\(name)\"")
        }
        return MethodAST(
            name: name, inputType: input, inputLocation: inputLocation, outputType: output, outputLocation: outputLocation,
            clientStreaming: clientStreaming, serverStreaming: serverStreaming, location: keyword.location,
            comment: keyword.leadingComment, options: options
        )
    }
}

/// Limits on field numbers.
enum FieldNumbers {
    static let max = (1 << 29) - 1
    /// Numbers protobuf reserves for its own implementation.
    static let implementationReserved = 19_000...19_999
}
