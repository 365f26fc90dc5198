extension Dictionary {
    /// Runs `body` on the value for `key` where it is stored, or returns nil when there is none.
    ///
    /// For the coordinator's large entries: `dictionary[key]?.field` reads, and a
    /// read-modify-write through a local copy, copy the whole value (and retain each of its
    /// references) every time, which showed in the profile of every message an agent sends.
    mutating func withValue<Result>(forKey key: Key, _ body: (inout Value) throws -> Result) rethrows -> Result? {
        guard let index = index(forKey: key) else { return nil }
        return try body(&values[index])
    }
}
