import Foundation
import ProtoRuntime

/// Messages as proto3 JSON (the generated `Codable`), for `--json`.
enum JSONOutput {
    /// Pretty-printed JSON of one message, fields in schema order.
    static func pretty(_ message: some ProtoMessage) throws -> String {
        try encode(message, formatting: [.prettyPrinted, .withoutEscapingSlashes])
    }

    /// One-line JSON of one message, for JSON Lines streams (`logs --json`).
    static func line(_ message: some ProtoMessage) throws -> String {
        try encode(message, formatting: [.withoutEscapingSlashes])
    }

    private static func encode(_ message: some ProtoMessage, formatting: JSONEncoder.OutputFormatting) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        return String(decoding: try encoder.encode(message), as: UTF8.self)
    }
}
