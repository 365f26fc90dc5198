import Foundation

/// Opaque ids that sort by creation time: a prefix, 12 hex digits of Unix milliseconds, then
/// 8 random hex digits, e.g. `j-0193a1b2c3d4e5f60718`. Time order keeps the store's id
/// indexes append-mostly (random ids scattered each commit's inserts over many pages);
/// 32 random bits keep ids made in the same millisecond apart.
enum Identifiers {
    static func job() -> String { make(prefix: "j-") }
    static func worker() -> String { make(prefix: "w-") }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Written byte by byte into the string's own storage: formatting with `String(radix:)`
    /// and padding cost five allocations, 1 % of the server's CPU at full dispatch load.
    private static func make(prefix: String) -> String {
        let milliseconds = UInt64(max(0, Date().timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        var generator = SystemRandomNumberGenerator()
        let random = UInt64(generator.next() as UInt32)
        return String(unsafeUninitializedCapacity: prefix.utf8.count + 20) { buffer in
            var index = 0
            for byte in prefix.utf8 {
                buffer[index] = byte
                index += 1
            }
            func appendHex(_ value: UInt64, digits: Int) {
                for digit in (0..<digits).reversed() {
                    buffer[index] = hexDigits[Int(truncatingIfNeeded: (value >> UInt64(digit * 4)) & 0xF)]
                    index += 1
                }
            }
            appendHex(milliseconds, digits: 12)
            appendHex(random, digits: 8)
            return index
        }
    }
}
