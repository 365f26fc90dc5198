/// Fields a message did not recognise when it was decoded, kept as their exact bytes
/// (key and value) and written back after the known fields on encode.
public struct UnknownFields: Sendable, Hashable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var isEmpty: Bool { bytes.isEmpty }

    mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }
}
