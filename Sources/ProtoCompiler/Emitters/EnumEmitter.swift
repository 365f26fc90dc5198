/// Emits a Swift enum for a protobuf enum: named cases, `unrecognized` for other numbers,
/// static aliases, and the name/number mappings the wire and JSON need.
struct EnumEmitter {
    let access: String

    func emit(_ enumeration: EnumDescriptor, into p: inout CodePrinter) {
        p.doc(enumeration.comment)
        if enumeration.deprecated { p.doc("\nDeprecated in the `.proto` file.") }
        let primary = enumeration.values.filter { !$0.isAlias }
        let caseByNumber = Dictionary(primary.map { ($0.number, $0.swiftName) }, uniquingKeysWith: { first, _ in first })
        p.block("\(access)enum \(declaredName(enumeration.swiftFullName, enumeration.swiftName)): ProtoEnum") { p in
            for value in primary {
                p.doc(value.comment)
                p.line("case \(SwiftNaming.escaped(value.swiftName)) // = \(value.number)")
            }
            p.line("/// A number this version of the schema does not name.")
            p.line("case unrecognized(Int32)")
            // An alias whose Swift name is already taken (`X_Y` and `X__Y` both become `xY`)
            // needs no static: the existing name already means the same value.
            var taken = Set(primary.map(\.swiftName))
            for alias in enumeration.values where alias.isAlias && taken.insert(alias.swiftName).inserted {
                p.line()
                p.doc(alias.comment ?? "Alias of `\(caseByNumber[alias.number]!)`.")
                p.line("\(access)static let \(SwiftNaming.escaped(alias.swiftName)): Self = .\(caseByNumber[alias.number]!)")
            }
            p.line()
            p.block("\(access)init(rawValue: Int32)") { p in
                p.line("switch rawValue {")
                for value in primary {
                    p.line("case \(value.number): self = .\(value.swiftName)")
                }
                p.line("default: self = .unrecognized(rawValue)")
                p.line("}")
            }
            p.line()
            p.block("\(access)var rawValue: Int32") { p in
                p.line("switch self {")
                for value in primary {
                    p.line("case .\(value.swiftName): return \(value.number)")
                }
                p.line("case .unrecognized(let value): return value")
                p.line("}")
            }
            p.line()
            p.block("\(access)var protoName: String?") { p in
                p.line("switch self {")
                for value in primary {
                    p.line("case .\(value.swiftName): return \"\(value.name)\"")
                }
                p.line("case .unrecognized: return nil")
                p.line("}")
            }
            p.line()
            p.block("\(access)init?(protoName name: String)") { p in
                p.line("switch name {")
                for value in enumeration.values {
                    p.line("case \"\(value.name)\": self = .\(caseByNumber[value.number]!)")
                }
                p.line("default: return nil")
                p.line("}")
            }
            p.line()
            p.line("\(access)func encode(to encoder: any Encoder) throws { try encodeJSON(to: encoder) }")
            p.line()
            p.line("\(access)init(from decoder: any Decoder) throws { try self.init(jsonDecoder: decoder) }")
        }
    }
}
