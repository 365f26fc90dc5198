/// Opaque ids: a prefix and 16 random lowercase hex digits (64 bits), e.g. `j-3f9c0a71d2e4b856`.
enum Identifiers {
    static func job() -> String { make(prefix: "j-") }
    static func worker() -> String { make(prefix: "w-") }

    private static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
