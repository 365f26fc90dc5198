/// Turns parsed files into validated ``FileDescriptor``s: resolves every type name with
/// protoc's scoping and import-visibility rules and checks what protoc checks.
struct Resolver {
    let files: [String: ProtoFileAST]
    let symbols: SymbolTable
    /// The file being resolved and the files whose declarations it may use.
    private var currentFile = ""
    private var visibleFiles: Set<String> = []

    init(files: [String: ProtoFileAST], order: [String]) throws(CompileError) {
        self.files = files
        var table = SymbolTable()
        for path in order {
            let file = files[path]!
            if let option = file.options.first(where: { $0.name == "swift_prefix" }) {
                guard let prefix = option.stringValue, SwiftNaming.isIdentifierPrefix(prefix) else {
                    throw CompileError("option swift_prefix must be letters, digits and underscores, not starting with a digit", at: option.location)
                }
            }
            try table.register(file, swiftPrefix: Self.swiftPrefix(of: file))
        }
        self.symbols = table
    }

    static func swiftPrefix(of file: ProtoFileAST) -> String {
        if let option = file.options.first(where: { $0.name == "swift_prefix" }), let prefix = option.stringValue {
            return prefix
        }
        return SwiftNaming.packagePrefix(file.package)
    }

    /// The file itself, its imports, and whatever those re-export with `import public`.
    func visibility(of path: String) -> Set<String> {
        var visible: Set<String> = [path]
        var pending = files[path]?.imports.map(\.path) ?? []
        while let next = pending.popLast() {
            guard visible.insert(next).inserted else { continue }
            pending += files[next]?.imports.filter { $0.kind == .public }.map(\.path) ?? []
        }
        return visible
    }

    mutating func resolveFile(_ path: String) throws(CompileError) -> FileDescriptor {
        let file = files[path]!
        currentFile = path
        visibleFiles = visibility(of: path)
        let scope = file.package
        let prefix = Self.swiftPrefix(of: file)
        var messages: [MessageDescriptor] = []
        for message in file.messages {
            messages.append(try resolveMessage(message, scope: scope, swiftParent: nil, prefix: prefix))
        }
        var enums: [EnumDescriptor] = []
        for enumeration in file.enums {
            enums.append(try resolveEnum(enumeration, scope: scope, swiftParent: nil, prefix: prefix))
        }
        var services: [ServiceDescriptorModel] = []
        for service in file.services {
            services.append(try resolveService(service, scope: scope, prefix: prefix))
        }
        var descriptor = FileDescriptor(path: path, package: file.package, messages: messages, enums: enums, services: services)
        descriptor.dependencies = file.imports.map(\.path)
        descriptor.publicDependencies = file.imports.indices.filter { file.imports[$0].kind == .public }
        return descriptor
    }

    // MARK: Types

    func resolveType(_ written: String, scope: String, typesOnly: Bool = true, at location: SourceLocation) throws(CompileError) -> (FieldType, SymbolTable.Symbol) {
        let fullName: String
        let symbol: SymbolTable.Symbol
        do {
            (fullName, symbol) = try symbols.resolve(written, scope: scope, typesOnly: typesOnly, at: location)
        } catch {
            // Say what the name does refer to, if anything, rather than just "not defined".
            guard typesOnly, let (_, other) = try? symbols.resolve(written, scope: scope, typesOnly: false, at: location) else { throw error }
            throw CompileError("\"\(written)\" is not a type (it is \(other.kind.withArticle))", at: location)
        }
        guard visibleFiles.contains(symbol.file) || symbol.kind == .package else {
            throw CompileError("\"\(written)\" seems to be defined in \"\(symbol.file)\", which is not imported by \"\(currentFile)\"; add the import to use it here", at: location)
        }
        switch symbol.kind {
        case .message: return (.message(fullName), symbol)
        case .enumeration: return (.enumeration(fullName), symbol)
        default: throw CompileError("\"\(written)\" is not a type (it is \(symbol.kind.withArticle))", at: location)
        }
    }

    func fieldType(_ written: String, scope: String, at location: SourceLocation) throws(CompileError) -> FieldType {
        if let scalar = ScalarType(rawValue: written) { return .scalar(scalar) }
        if written == "group" { throw CompileError("groups are not supported (proto2-only)", at: location) }
        return try resolveType(written, scope: scope, at: location).0
    }

    // MARK: Messages

    mutating func resolveMessage(_ message: MessageAST, scope: String, swiftParent: String?, prefix: String) throws(CompileError) -> MessageDescriptor {
        let fullName = SymbolTable.join(scope, message.name)
        let swiftName = SwiftNaming.typeName(message.name)
        let swiftFullName = swiftParent.map { $0 + "." + swiftName } ?? SwiftNaming.topLevelName(prefix, message.name)
        try MessageValidation.check(message, fullName: fullName)

        var fields: [FieldDescriptor] = []
        for field in message.fields {
            fields.append(try resolveField(field, scope: fullName, syntaxScope: fullName))
        }
        let nestedTypeNames = Set(message.messages.map { SwiftNaming.typeName($0.name) } + message.enums.map { SwiftNaming.typeName($0.name) })
        var oneofs: [OneofDescriptor] = []
        for (index, oneof) in message.oneofs.enumerated() {
            var typeName = SwiftNaming.upperCamel(oneof.name)
            if typeName.isEmpty || nestedTypeNames.contains(typeName) || SwiftNaming.reservedTypeNames.contains(typeName) {
                typeName = "OneOf_" + (typeName.isEmpty ? oneof.name : typeName)
            }
            let members = fields.indices.filter { fields[$0].oneofIndex == index }
            oneofs.append(OneofDescriptor(
                name: oneof.name, swiftName: SwiftNaming.fieldName(oneof.name), swiftTypeName: typeName,
                fieldIndices: members, comment: oneof.comment
            ))
        }
        try MessageValidation.checkSwiftNames(fields: fields, oneofs: oneofs, message: message)

        var nested: [MessageDescriptor] = []
        for child in message.messages {
            nested.append(try resolveMessage(child, scope: fullName, swiftParent: swiftFullName, prefix: prefix))
        }
        var enums: [EnumDescriptor] = []
        for child in message.enums {
            enums.append(try resolveEnum(child, scope: fullName, swiftParent: swiftFullName, prefix: prefix))
        }
        return MessageDescriptor(
            fullName: fullName, name: message.name, swiftFullName: swiftFullName, swiftName: swiftName,
            fields: fields, oneofs: oneofs, messages: nested, enums: enums,
            deprecated: message.options.contains { $0.name == "deprecated" && $0.boolValue == true },
            comment: message.comment, reservedRanges: message.reservedRanges, reservedNames: message.reservedNames
        )
    }

    func resolveField(_ field: FieldAST, scope: String, syntaxScope: String) throws(CompileError) -> FieldDescriptor {
        var type: FieldType
        var cardinality: FieldDescriptor.Cardinality
        switch field.type {
        case .map(let keyName, let valueName):
            guard let key = ScalarType(rawValue: keyName), key.isValidMapKey else {
                throw CompileError("key in map fields cannot be \(ScalarType(rawValue: keyName).map { "\($0)" } ?? "a message or enum type (\"\(keyName)\")"); use an integer, bool or string type", at: field.typeLocation)
            }
            type = try fieldType(valueName, scope: scope, at: field.typeLocation)
            cardinality = .map(key: key)
        case .named(let name):
            type = try fieldType(name, scope: scope, at: field.typeLocation)
            switch field.label {
            case .repeated:
                var packed: Bool
                switch type {
                case .scalar(let scalar): packed = scalar.isPackable
                case .enumeration: packed = true
                case .message: packed = false
                }
                if let option = field.options.first(where: { $0.name == "packed" }) {
                    guard let value = option.boolValue else { throw CompileError("option \"packed\" must be true or false", at: option.location) }
                    if value && !packed, case .scalar = type {
                        throw CompileError("[packed = true] can only be specified for repeated primitive fields", at: option.location)
                    } else if value && !packed {
                        throw CompileError("[packed = true] can only be specified for repeated primitive fields", at: option.location)
                    }
                    packed = value
                }
                cardinality = .repeated(packed: packed)
            case .optional:
                cardinality = .optional
            case .singular:
                if case .message = type { cardinality = .optional } else { cardinality = .singular }
            }
        }
        if field.label != .repeated, let option = field.options.first(where: { $0.name == "packed" }) {
            throw CompileError("[packed = \(option.boolValue.map(String.init) ?? "...")] can only be specified for repeated primitive fields", at: option.location)
        }
        var jsonName = SwiftNaming.jsonName(field.name)
        if let option = field.options.first(where: { $0.name == "json_name" }) {
            guard let value = option.stringValue else { throw CompileError("option \"json_name\" must be a string", at: option.location) }
            jsonName = value
        }
        var descriptor = FieldDescriptor(
            name: field.name, number: field.number, jsonName: jsonName, swiftName: SwiftNaming.fieldName(field.name),
            type: type, cardinality: cardinality, oneofIndex: field.oneofIndex,
            deprecated: field.options.contains { $0.name == "deprecated" && $0.boolValue == true },
            comment: field.comment
        )
        descriptor.isProto3Optional = field.label == .optional
        descriptor.packedOption = field.options.first { $0.name == "packed" }?.boolValue
        return descriptor
    }

    // MARK: Enums and services

    func resolveEnum(_ enumeration: EnumAST, scope: String, swiftParent: String?, prefix: String) throws(CompileError) -> EnumDescriptor {
        let fullName = SymbolTable.join(scope, enumeration.name)
        try EnumValidation.check(enumeration)
        var seen: Set<Int32> = []
        let isAlias = enumeration.values.map { !seen.insert($0.number).inserted }
        let caseNames = SwiftNaming.enumCaseNames(enumName: enumeration.name, values: enumeration.values.map(\.name), isAlias: isAlias)
        var values: [EnumValueDescriptor] = []
        for (index, (value, caseName)) in zip(enumeration.values, caseNames).enumerated() {
            values.append(EnumValueDescriptor(
                name: value.name, number: value.number, swiftName: caseName, isAlias: isAlias[index],
                deprecated: value.options.contains { $0.name == "deprecated" && $0.boolValue == true }, comment: value.comment
            ))
        }
        let swiftName = SwiftNaming.typeName(enumeration.name)
        return EnumDescriptor(
            fullName: fullName, name: enumeration.name,
            swiftFullName: swiftParent.map { $0 + "." + swiftName } ?? SwiftNaming.topLevelName(prefix, enumeration.name), swiftName: swiftName,
            values: values, deprecated: enumeration.options.contains { $0.name == "deprecated" && $0.boolValue == true },
            comment: enumeration.comment, reservedRanges: enumeration.reservedRanges, reservedNames: enumeration.reservedNames
        )
    }

    func resolveService(_ service: ServiceAST, scope: String, prefix: String) throws(CompileError) -> ServiceDescriptorModel {
        var methods: [MethodDescriptorModel] = []
        var names: Set<String> = []
        for method in service.methods {
            guard names.insert(method.name).inserted else {
                throw CompileError("\"\(method.name)\" is already defined in service \"\(service.name)\"", at: method.location)
            }
            // protoc resolves method types from the method's own scope, where the service's
            // methods are visible and not skipped (a method named like the type hides it).
            let methodScope = SymbolTable.join(SymbolTable.join(scope, service.name), method.name)
            let (input, inputSymbol) = try resolveType(method.inputType, scope: methodScope, typesOnly: false, at: method.inputLocation)
            let (output, outputSymbol) = try resolveType(method.outputType, scope: methodScope, typesOnly: false, at: method.outputLocation)
            guard case .message = input else { throw CompileError("\"\(method.inputType)\" is not a message type", at: method.inputLocation) }
            guard case .message = output else { throw CompileError("\"\(method.outputType)\" is not a message type", at: method.outputLocation) }
            guard case .message(let inputFullName) = input, case .message(let outputFullName) = output else { continue }
            methods.append(MethodDescriptorModel(
                name: method.name, inputFullName: inputFullName, outputFullName: outputFullName, swiftName: SwiftNaming.methodTypeName(method.name), inputSwiftName: inputSymbol.swiftFullName, outputSwiftName: outputSymbol.swiftFullName,
                clientStreaming: method.clientStreaming, serverStreaming: method.serverStreaming,
                deprecated: method.options.contains { $0.name == "deprecated" && $0.boolValue == true }, comment: method.comment
            ))
        }
        return ServiceDescriptorModel(
            fullName: SymbolTable.join(scope, service.name), swiftName: SwiftNaming.topLevelName(prefix, service.name), methods: methods,
            deprecated: service.options.contains { $0.name == "deprecated" && $0.boolValue == true }, comment: service.comment
        )
    }
}
