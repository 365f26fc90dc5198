// The syntax tree of one `.proto` file, as written (names not yet resolved).

struct ProtoFileAST: Sendable {
    var path: String
    var package: String = ""
    var imports: [ImportAST] = []
    var options: [OptionAST] = []
    var messages: [MessageAST] = []
    var enums: [EnumAST] = []
    var services: [ServiceAST] = []
}

struct ImportAST: Sendable {
    enum Kind: Sendable { case normal, `public`, weak }
    var path: String
    var kind: Kind
    var location: SourceLocation
}

struct OptionAST: Sendable {
    enum Value: Sendable, Equatable {
        case identifier(String)
        case integer(negative: Bool, magnitude: UInt64)
        case float(Double)
        case string([UInt8])
        /// A `{ ... }` text-format aggregate; only custom options use it, and those are ignored.
        case aggregate
    }

    /// The option name as written, e.g. `json_name` or `(my.ext).field`.
    var name: String
    var value: Value
    var location: SourceLocation

    var boolValue: Bool? {
        switch value {
        case .identifier("true"): return true
        case .identifier("false"): return false
        default: return nil
        }
    }

    var stringValue: String? {
        if case .string(let bytes) = value { return String(validating: bytes, as: UTF8.self) }
        return nil
    }
}

struct MessageAST: Sendable {
    var name: String
    var location: SourceLocation
    var comment: String?
    var fields: [FieldAST] = []
    var oneofs: [OneofAST] = []
    var messages: [MessageAST] = []
    var enums: [EnumAST] = []
    var reservedRanges: [ClosedRange<Int>] = []
    var reservedNames: [String] = []
    var options: [OptionAST] = []
}

struct FieldAST: Sendable {
    enum Label: Sendable { case singular, optional, repeated }
    enum TypeRef: Sendable {
        /// A scalar keyword or a message/enum name as written (maybe with a leading dot).
        case named(String)
        case map(key: String, value: String)
    }

    var name: String
    var number: Int
    var label: Label
    var type: TypeRef
    var typeLocation: SourceLocation
    var options: [OptionAST]
    var location: SourceLocation
    var numberLocation: SourceLocation
    var comment: String?
    /// Index into the message's `oneofs` when the field is a oneof member.
    var oneofIndex: Int?
}

struct OneofAST: Sendable {
    var name: String
    var location: SourceLocation
    var comment: String?
}

struct EnumAST: Sendable {
    var name: String
    var location: SourceLocation
    var comment: String?
    var values: [EnumValueAST] = []
    var options: [OptionAST] = []
    var reservedRanges: [ClosedRange<Int>] = []
    var reservedNames: [String] = []
}

struct EnumValueAST: Sendable {
    var name: String
    var number: Int32
    var location: SourceLocation
    var comment: String?
    var options: [OptionAST]
}

struct ServiceAST: Sendable {
    var name: String
    var location: SourceLocation
    var comment: String?
    var methods: [MethodAST] = []
    var options: [OptionAST] = []
}

struct MethodAST: Sendable {
    var name: String
    var inputType: String
    var inputLocation: SourceLocation
    var outputType: String
    var outputLocation: SourceLocation
    var clientStreaming: Bool
    var serverStreaming: Bool
    var location: SourceLocation
    var comment: String?
    var options: [OptionAST]
}
