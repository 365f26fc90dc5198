import ProtoRuntime

// Hand-written messages in the shape `hodei-protoc` generates, so the runtime can be tested
// without the compiler. The `.proto` they stand for:
//
//   message TestNode   { TestNode child = 1; int32 value = 2; }
//   message TestRecord {
//     int32 id = 1;  string name = 2;  bytes data = 3;  repeated sint64 deltas = 4;
//     repeated string tags = 5;  double score = 6;  fixed32 flags = 7;
//     google.protobuf.Timestamp when = 8;  repeated fixed64 stamps = 9;  bool active = 10;
//   }

/// A message that contains itself, to test nesting depth.
struct TestNode: ProtoMessage {
    static let protoMessageName = "test.TestNode"

    var child: TestNode? {
        get { _child?.value }
        set { _child = newValue.map { ProtoBox($0) } }
    }
    private var _child: ProtoBox<TestNode>? = nil
    var value: Int32 = 0
    var unknownFields = UnknownFields()

    init() {}

    /// A chain of `depth` messages below this one (depth 0: no child).
    static func chain(depth: Int) -> TestNode {
        var node = TestNode()
        for level in 0..<depth {
            var parent = TestNode()
            parent.value = Int32(level + 1)
            parent.child = node
            node = parent
        }
        return node
    }

    /// How many messages hang below this one.
    var depth: Int {
        var count = 0
        var node = self
        while let next = node.child {
            count += 1
            node = next
        }
        return count
    }

    func serializedSize() -> Int {
        var size = 0
        if let value = self.child { size += 1 + ProtoSize.message(value) }
        if self.value != 0 { size += 1 + ProtoSize.int32(self.value) }
        return size + unknownFields.bytes.count
    }

    func encode(to writer: inout ProtoWriter) {
        if let value = self.child {
            writer.writeTag(10)
            writer.writeMessage(value)
        }
        if self.value != 0 {
            writer.writeTag(16)
            writer.writeInt32(self.value)
        }
        writer.writeUnknownFields(unknownFields)
    }

    mutating func decode(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try reader.readMessage(tag, into: &self.child)
            case 2: self.value = try reader.readInt32(tag)
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func encode(to encoder: any Encoder) throws {}
    init(from decoder: any Decoder) throws { self.init() }
}

/// A message with a field of every wire type.
struct TestRecord: ProtoMessage {
    static let protoMessageName = "test.TestRecord"

    var id: Int32 = 0
    var name: String = ""
    var data: [UInt8] = []
    var deltas: [Int64] = []
    var tags: [String] = []
    var score: Double = 0
    var flags: UInt32 = 0
    var when: Google_Protobuf_Timestamp? = nil
    var stamps: [UInt64] = []
    var active: Bool = false
    var unknownFields = UnknownFields()

    init() {}

    func serializedSize() -> Int {
        var size = 0
        if self.id != 0 { size += 1 + ProtoSize.int32(self.id) }
        if !self.name.isEmpty { size += 1 + ProtoSize.string(self.name) }
        if !self.data.isEmpty { size += 1 + ProtoSize.bytes(self.data) }
        if !self.deltas.isEmpty { size += 1 + ProtoSize.lengthDelimited(ProtoSize.packedSInt64(self.deltas)) }
        for value in self.tags { size += 1 + ProtoSize.string(value) }
        if self.score.bitPattern != 0 { size += 1 + ProtoSize.double(self.score) }
        if self.flags != 0 { size += 1 + ProtoSize.fixed32(self.flags) }
        if let value = self.when { size += 1 + ProtoSize.message(value) }
        if !self.stamps.isEmpty { size += 1 + ProtoSize.lengthDelimited(ProtoSize.packedFixed64(self.stamps)) }
        if self.active { size += 1 + ProtoSize.bool(self.active) }
        return size + unknownFields.bytes.count
    }

    func encode(to writer: inout ProtoWriter) {
        if self.id != 0 { writer.writeTag(8); writer.writeInt32(self.id) }
        if !self.name.isEmpty { writer.writeTag(18); writer.writeString(self.name) }
        if !self.data.isEmpty { writer.writeTag(26); writer.writeBytes(self.data) }
        if !self.deltas.isEmpty { writer.writeTag(34); writer.writePackedSInt64(self.deltas) }
        for value in self.tags { writer.writeTag(42); writer.writeString(value) }
        if self.score.bitPattern != 0 { writer.writeTag(49); writer.writeDouble(self.score) }
        if self.flags != 0 { writer.writeTag(61); writer.writeFixed32(self.flags) }
        if let value = self.when { writer.writeTag(66); writer.writeMessage(value) }
        if !self.stamps.isEmpty { writer.writeTag(74); writer.writePackedFixed64(self.stamps) }
        if self.active { writer.writeTag(80); writer.writeBool(self.active) }
        writer.writeUnknownFields(unknownFields)
    }

    mutating func decode(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: self.id = try reader.readInt32(tag)
            case 2: self.name = try reader.readString(tag)
            case 3: self.data = try reader.readBytes(tag)
            case 4: try reader.readRepeatedSInt64(tag, into: &self.deltas)
            case 5: try reader.readRepeatedString(tag, into: &self.tags)
            case 6: self.score = try reader.readDouble(tag)
            case 7: self.flags = try reader.readFixed32(tag)
            case 8: try reader.readMessage(tag, into: &self.when)
            case 9: try reader.readRepeatedFixed64(tag, into: &self.stamps)
            case 10: self.active = try reader.readBool(tag)
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func encode(to encoder: any Encoder) throws {}
    init(from decoder: any Decoder) throws { self.init() }
}

extension TestRecord {
    /// A record with every field set, and its encoding written out byte by byte.
    static let sample: TestRecord = {
        var record = TestRecord()
        record.id = 150
        record.name = "héllo"
        record.data = [0x00, 0xFF]
        record.deltas = [0, -1, 1]
        record.tags = ["a", ""]
        record.score = 1.0
        record.flags = 0x1234_5678
        var when = Google_Protobuf_Timestamp()
        when.seconds = 1
        when.nanos = 2
        record.when = when
        record.stamps = [1]
        record.active = true
        return record
    }()

    static let sampleBytes: [UInt8] = [
        0x08, 0x96, 0x01,                                      // 1: id = 150
        0x12, 0x06, 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F,        // 2: name = "héllo"
        0x1A, 0x02, 0x00, 0xFF,                                // 3: data
        0x22, 0x03, 0x00, 0x01, 0x02,                          // 4: deltas, packed zigzag
        0x2A, 0x01, 0x61, 0x2A, 0x00,                          // 5: tags "a", ""
        0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,  // 6: score = 1.0
        0x3D, 0x78, 0x56, 0x34, 0x12,                          // 7: flags
        0x42, 0x04, 0x08, 0x01, 0x10, 0x02,                    // 8: when {1, 2}
        0x4A, 0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 9: stamps, packed
        0x50, 0x01,                                            // 10: active
    ]
}

/// An enum in the shape `hodei-protoc` generates:
/// `enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; COLOR_CRIMSON = 1 (alias); COLOR_BLUE = -2; }`.
enum TestColor: ProtoEnum {
    case unspecified // = 0
    case red // = 1
    case blue // = -2
    case unrecognized(Int32)

    static let crimson: Self = .red

    init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .red
        case -2: self = .blue
        default: self = .unrecognized(rawValue)
        }
    }

    var rawValue: Int32 {
        switch self {
        case .unspecified: return 0
        case .red: return 1
        case .blue: return -2
        case .unrecognized(let value): return value
        }
    }

    var protoName: String? {
        switch self {
        case .unspecified: return "COLOR_UNSPECIFIED"
        case .red: return "COLOR_RED"
        case .blue: return "COLOR_BLUE"
        case .unrecognized: return nil
        }
    }

    init?(protoName name: String) {
        switch name {
        case "COLOR_UNSPECIFIED": self = .unspecified
        case "COLOR_RED": self = .red
        case "COLOR_CRIMSON": self = .red
        case "COLOR_BLUE": self = .blue
        default: return nil
        }
    }

    func encode(to encoder: any Encoder) throws { try encodeJSON(to: encoder) }

    init(from decoder: any Decoder) throws { try self.init(jsonDecoder: decoder) }
}
