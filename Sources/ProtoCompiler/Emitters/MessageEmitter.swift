/// Emits a message's Swift struct: stored fields, oneof enums and nested types.
struct MessageEmitter {
    let types: TypeLookup
    let access: String

    func emitDeclaration(_ message: MessageDescriptor, into p: inout CodePrinter) {
        p.doc(message.comment)
        if message.deprecated { p.doc("\nDeprecated in the `.proto` file.") }
        p.block("\(access)struct \(declaredName(message.swiftFullName, message.swiftName)): ProtoMessage") { p in
            p.line("\(access)static let protoMessageName = \"\(message.fullName)\"")
            p.line()
            for field in message.fields where field.oneofIndex == nil {
                emitStoredField(field, into: &p)
            }
            for oneof in message.oneofs {
                p.doc(oneof.comment)
                p.line("\(access)var \(SwiftNaming.escaped(oneof.swiftName)): \(oneof.swiftTypeName)? = nil")
                p.line()
            }
            p.line("\(access)var unknownFields = UnknownFields()")
            p.line()
            p.line("\(access)init() {}")
            for oneof in message.oneofs {
                p.line()
                emitOneofEnum(oneof, message: message, into: &p)
            }
            let enumEmitter = EnumEmitter(access: access)
            for enumeration in message.enums {
                p.line()
                enumEmitter.emit(enumeration, into: &p)
            }
            for nested in message.messages {
                p.line()
                emitDeclaration(nested, into: &p)
            }
        }
    }

    private func emitStoredField(_ field: FieldDescriptor, into p: inout CodePrinter) {
        p.doc(field.comment)
        if field.deprecated { p.doc("\nDeprecated in the `.proto` file.") }
        let name = SwiftNaming.escaped(field.swiftName)
        let type = types.declaredType(field)
        if field.boxed {
            let element = types.swiftType(field.type)
            p.line("\(access)var \(name): \(type) {")
            p.line("    get { _\(field.swiftName)?.value }")
            p.line("    set { _\(field.swiftName) = newValue.map { ProtoBox($0) } }")
            p.line("}")
            p.line("private var _\(field.swiftName): ProtoBox<\(element)>? = nil")
        } else {
            p.line("\(access)var \(name): \(type) = \(types.initialValue(field))")
        }
        p.line()
    }

    private func emitOneofEnum(_ oneof: OneofDescriptor, message: MessageDescriptor, into p: inout CodePrinter) {
        p.block("\(access)\(oneof.isIndirect ? "indirect " : "")enum \(oneof.swiftTypeName): Hashable, Sendable") { p in
            for index in oneof.fieldIndices {
                let field = message.fields[index]
                p.doc(field.comment)
                p.line("case \(SwiftNaming.escaped(field.swiftName))(\(types.swiftType(field.type)))")
            }
        }
    }
}

/// Top-level types are declared under their full prefixed name, nested ones under their own.
func declaredName(_ fullName: String, _ name: String) -> String {
    fullName.contains(".") ? name : fullName
}
