/// A compiled `.proto` file as server reflection needs it: its name, its imports, the
/// symbols it declares, and its serialized `google.protobuf.FileDescriptorProto`.
///
/// Generated code adds one per file to ``ProtoFiles``.
public struct ProtoFileDescriptor: Sendable {
    public let name: String
    public let dependencies: [String]
    /// Fully qualified names of its messages, enums, services and methods.
    public let symbols: [String]
    private let descriptorBase64: String

    public init(name: String, dependencies: [String], symbols: [String], descriptorBase64: String) {
        self.name = name
        self.dependencies = dependencies
        self.symbols = symbols
        self.descriptorBase64 = descriptorBase64
    }

    /// The `FileDescriptorProto` bytes.
    public var serializedDescriptor: [UInt8] { Base64.decode(descriptorBase64) ?? [] }
}

/// The namespace generated files add their descriptors to (`ProtoFiles.hodei_v1_common`).
public enum ProtoFiles {}
