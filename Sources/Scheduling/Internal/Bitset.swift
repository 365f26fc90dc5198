/// Helpers for worker-slot bitsets stored as `[UInt64]` (bit `slot % 64` of word `slot / 64`).
/// A bitset shorter than another reads as zeros beyond its end.
enum Bitset {
    static func insert(_ slot: Int, into words: inout [UInt64]) {
        let word = slot >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        words[word] |= 1 << UInt64(slot & 63)
    }

    static func remove(_ slot: Int, from words: inout [UInt64]) {
        let word = slot >> 6
        guard word < words.count else { return }
        words[word] &= ~(1 << UInt64(slot & 63))
    }

    static func contains(_ slot: Int, in words: [UInt64]) -> Bool {
        let word = slot >> 6
        return word < words.count && words[word] & (1 << UInt64(slot & 63)) != 0
    }
}
