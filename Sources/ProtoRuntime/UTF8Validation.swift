/// UTF-8 validation for `string` fields, without the generic machinery of
/// `String(validating:as:)` (whose metadata lookups cost more than the check itself).
enum UTF8Validation {
    /// True when `count` bytes at `start` are well-formed UTF-8 (RFC 3629: no overlong
    /// forms, no surrogates, nothing above U+10FFFF).
    static func isValid(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        // ASCII fast path, eight bytes at a time.
        while index + 8 <= count {
            let word = UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            let lead = start[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            func continuation(_ offset: Int) -> UInt8? {
                guard index + offset < count else { return nil }
                let byte = start[index + offset]
                return byte & 0xC0 == 0x80 ? byte : nil
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) != nil else { return false }
                index += 2
            case 0xE0...0xEF:
                guard let second = continuation(1), continuation(2) != nil else { return false }
                if lead == 0xE0 && second < 0xA0 { return false } // overlong
                if lead == 0xED && second >= 0xA0 { return false } // surrogate
                index += 3
            case 0xF0...0xF4:
                guard let second = continuation(1), continuation(2) != nil, continuation(3) != nil else { return false }
                if lead == 0xF0 && second < 0x90 { return false } // overlong
                if lead == 0xF4 && second >= 0x90 { return false } // above U+10FFFF
                index += 4
            default:
                return false
            }
        }
        return true
    }
}
