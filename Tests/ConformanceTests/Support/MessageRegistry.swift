import ProtoRuntime

/// The generated Swift type for each message the corpus names, by full proto name. Written by
/// hand from the naming contract (`pkg.sub.Name` -> `Pkg_Sub_Name`, nested types nested), so a
/// rename in the generator breaks the build here rather than silently skipping cases.
enum MessageRegistry {
    static let types: [any ProtoMessage.Type] = [
        Hodei_Conformance_V1_Scalars.self,
        Hodei_Conformance_V1_Repeated.self,
        Hodei_Conformance_V1_SingleMemberOneofs.self,
        Hodei_Conformance_V1_Optionals.self,
        Hodei_Conformance_V1_Maps.self,
        Hodei_Conformance_V1_Oneofs.self,
        Hodei_Conformance_V1_Nested.self,
        Hodei_Conformance_V1_Nested.Inner.self,
        Hodei_Conformance_V1_Nested.Inner.Deeper.self,
        Hodei_Conformance_V1_Tree.self,
        Hodei_Conformance_V1_JsonNames.self,
        Hodei_Conformance_V1_Aliases.self,
        Hodei_Conformance_V1_HighFields.self,
        Hodei_Conformance_V1_Reserved.self,
        Hodei_Conformance_V1_KnownTypes.self,
        Hodei_Conformance_V1_EmptyMessage.self,
        Hodei_Conformance_V1_Everything.self,
        Hodei_Conformance_V1_EverythingWithOptionals.self,
        Hodei_Conformance_V1_Leaf.self,
        Google_Protobuf_Timestamp.self,
        Google_Protobuf_Duration.self,
        Google_Protobuf_Empty.self,
    ]

    static let byName: [String: any ProtoMessage.Type] = Dictionary(
        uniqueKeysWithValues: types.map { ($0.protoMessageName, $0) }
    )
}
