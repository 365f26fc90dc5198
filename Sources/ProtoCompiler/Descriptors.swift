// Resolved descriptors: what the emitters read. Names are resolved, numbers validated,
// Swift names chosen; nothing here refers back to the syntax tree.

/// The fifteen protobuf scalar types.
public enum ScalarType: String, Sendable, CaseIterable {
    case double, float, int32, int64, uint32, uint64, sint32, sint64
    case fixed32, fixed64, sfixed32, sfixed64, bool, string, bytes

    /// Types allowed as map keys.
    var isValidMapKey: Bool { self != .double && self != .float && self != .bytes }

    /// Repeated fields of these types are packed by default in proto3.
    var isPackable: Bool { self != .string && self != .bytes }
}

public enum FieldType: Sendable, Hashable {
    case scalar(ScalarType)
    /// A message or enum, by fully qualified protobuf name (no leading dot).
    case message(String)
    case enumeration(String)
}

public struct FieldDescriptor: Sendable {
    public enum Cardinality: Sendable, Hashable {
        /// proto3 implicit presence: the default value is not written.
        case singular
        /// proto3 `optional` or a message field: presence is tracked.
        case optional
        case repeated(packed: Bool)
        case map(key: ScalarType)
    }

    public var name: String
    public var number: Int
    public var jsonName: String
    public var swiftName: String
    public var type: FieldType
    public var cardinality: Cardinality
    /// Index into the message's `oneofs` for oneof members.
    public var oneofIndex: Int?
    public var deprecated: Bool
    public var comment: String?
    /// The field's type contains the field's message, so its value lives in a `ProtoBox`.
    public var boxed: Bool = false
    /// Declared with proto3 `optional` (explicit presence on a scalar or enum).
    public var isProto3Optional: Bool = false
    /// An explicit `[packed = ...]` option, if given.
    public var packedOption: Bool?
}

public struct OneofDescriptor: Sendable {
    public var name: String
    /// The Swift property (`kind`) and enum type (`Kind`) names.
    public var swiftName: String
    public var swiftTypeName: String
    public var fieldIndices: [Int]
    public var comment: String?
    /// A member's type contains the message, so the enum must be `indirect`.
    public var isIndirect: Bool = false
}

public struct MessageDescriptor: Sendable {
    public var fullName: String
    public var name: String
    /// The Swift type name as referenced from anywhere, such as `Hodei_V1_Job.Spec`.
    public var swiftFullName: String
    /// The name declared inside its parent (or at top level).
    public var swiftName: String
    public var fields: [FieldDescriptor]
    public var oneofs: [OneofDescriptor]
    public var messages: [MessageDescriptor]
    public var enums: [EnumDescriptor]
    public var deprecated: Bool
    public var comment: String?
    /// `reserved` numbers (inclusive ranges) and names.
    public var reservedRanges: [ClosedRange<Int>] = []
    public var reservedNames: [String] = []
}

public struct EnumValueDescriptor: Sendable {
    public var name: String
    public var number: Int32
    /// The Swift case name; for an alias, the case of the first value with its number.
    public var swiftName: String
    public var isAlias: Bool
    public var deprecated: Bool
    public var comment: String?
}

public struct EnumDescriptor: Sendable {
    public var fullName: String
    public var name: String
    public var swiftFullName: String
    public var swiftName: String
    public var values: [EnumValueDescriptor]
    public var deprecated: Bool
    public var comment: String?
    public var reservedRanges: [ClosedRange<Int>] = []
    public var reservedNames: [String] = []
}

public struct MethodDescriptorModel: Sendable {
    public var name: String
    /// Fully qualified protobuf names of the request and response messages.
    public var inputFullName: String = ""
    public var outputFullName: String = ""
    /// The nested enum naming the method in Swift (differs from `name` only where Swift reserves it).
    public var swiftName: String
    public var inputSwiftName: String
    public var outputSwiftName: String
    public var clientStreaming: Bool
    public var serverStreaming: Bool
    public var deprecated: Bool
    public var comment: String?
}

public struct ServiceDescriptorModel: Sendable {
    public var fullName: String
    public var swiftName: String
    public var methods: [MethodDescriptorModel]
    public var deprecated: Bool
    public var comment: String?
}

public struct FileDescriptor: Sendable {
    /// The path as imported, relative to its `-I` root, such as `hodei/v1/job.proto`.
    public var path: String
    public var package: String
    /// Imported files, and the indices of those imported with `import public`.
    public var dependencies: [String] = []
    public var publicDependencies: [Int] = []
    public var messages: [MessageDescriptor]
    public var enums: [EnumDescriptor]
    public var services: [ServiceDescriptorModel]
}
