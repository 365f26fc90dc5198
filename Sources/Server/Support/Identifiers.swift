import Foundation

/// Opaque ids that sort by creation time: a prefix, 12 hex digits of Unix milliseconds, then
/// 8 random hex digits, e.g. `j-0193a1b2c3d4e5f60718`. Time order keeps the store's id
/// indexes append-mostly (random ids scattered each commit's inserts over many pages);
/// 32 random bits keep ids made in the same millisecond apart.
enum Identifiers {
    static func job() -> String { make(prefix: "j-") }
    static func worker() -> String { make(prefix: "w-") }

    private static func make(prefix: String) -> String {
        let milliseconds = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt32
        return prefix + hex(milliseconds & 0xFFFF_FFFF_FFFF, digits: 12) + hex(UInt64(random), digits: 8)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
