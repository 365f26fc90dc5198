import ExtrasBase64

/// Base64 for the JSON form of `bytes` fields (RFC 4648) over the ExtrasBase64 library, with
/// proto3 JSON's leniency on input: standard or URL-safe alphabet, padded or not.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        String(base64Encoding: bytes)
    }

    /// The bytes of `text`, or nil if it is not base64. Padding, when present, must be one or
    /// two `=` completing a multiple of four characters.
    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        let padding = utf8.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2, padding == 0 || utf8.count % 4 == 0,
              !utf8.dropLast(padding).contains(UInt8(ascii: "=")) else { return nil }
        // Map the URL-safe alphabet onto the standard one, so either (or a mix) decodes.
        let standard = utf8.dropLast(padding).map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "-"): return UInt8(ascii: "+")
            case UInt8(ascii: "_"): return UInt8(ascii: "/")
            default: return byte
            }
        }
        return try? String(decoding: standard, as: UTF8.self).base64decoded(options: [.omitPaddingCharacter])
    }
}
