/// The string forms of `google.protobuf.Timestamp` (RFC 3339, UTC, "Z") and
/// `google.protobuf.Duration` ("1.5s") in proto3 JSON, without Foundation.
public enum ProtoJSONTime {
    /// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the Timestamp range.
    public static let minTimestampSeconds: Int64 = -62_135_596_800
    public static let maxTimestampSeconds: Int64 = 253_402_300_799
    /// About 10,000 years, the Duration range.
    public static let maxDurationSeconds: Int64 = 315_576_000_000

    public enum FormatError: Error, Equatable {
        case outOfRange
        case invalid(String)
    }

    // MARK: Timestamp

    public static func formatTimestamp(seconds: Int64, nanos: Int32) throws(FormatError) -> String {
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds, nanos >= 0, nanos < 1_000_000_000 else {
            throw .outOfRange
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        return text + fraction(nanos) + "Z"
    }

    public static func parseTimestamp(_ text: String) throws(FormatError) -> (seconds: Int64, nanos: Int32) {
        let chars = Array(text.utf8)
        var index = 0
        func number(_ width: Int) throws(FormatError) -> Int64 {
            guard index + width <= chars.count else { throw .invalid(text) }
            var value: Int64 = 0
            for _ in 0..<width {
                let c = chars[index]
                guard c >= 48, c <= 57 else { throw .invalid(text) }
                value = value * 10 + Int64(c - 48)
                index += 1
            }
            return value
        }
        func expect(_ char: UInt8) throws(FormatError) {
            guard index < chars.count, chars[index] == char || (char == 84 && chars[index] == 116) else { throw .invalid(text) }
            index += 1
        }
        let year = try number(4)
        try expect(UInt8(ascii: "-"))
        let month = try number(2)
        try expect(UInt8(ascii: "-"))
        let day = try number(2)
        try expect(UInt8(ascii: "T"))
        let hour = try number(2)
        try expect(UInt8(ascii: ":"))
        let minute = try number(2)
        try expect(UInt8(ascii: ":"))
        let second = try number(2)
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60 else {
            throw .invalid(text)
        }
        var nanos: Int32 = 0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            index += 1
            nanos = try parseFraction(chars, &index, text)
        }
        var offset: Int64 = 0
        guard index < chars.count else { throw .invalid(text) }
        switch chars[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = chars[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            let offsetHours = try number(2)
            try expect(UInt8(ascii: ":"))
            let offsetMinutes = try number(2)
            guard offsetHours < 24, offsetMinutes < 60 else { throw .invalid(text) }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            throw .invalid(text)
        }
        guard index == chars.count else { throw .invalid(text) }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds else { throw .outOfRange }
        return (seconds, nanos)
    }

    // MARK: Duration

    public static func formatDuration(seconds: Int64, nanos: Int32) throws(FormatError) -> String {
        // Range first: abs() of Int64.min or Int32.min, which the wire can carry, would trap.
        guard seconds >= -maxDurationSeconds, seconds <= maxDurationSeconds, nanos > -1_000_000_000, nanos < 1_000_000_000,
              (seconds >= 0 && nanos >= 0) || (seconds <= 0 && nanos <= 0) else { throw .outOfRange }
        let negative = seconds < 0 || nanos < 0
        return (negative ? "-" : "") + String(abs(seconds)) + fraction(abs(nanos)) + "s"
    }

    public static func parseDuration(_ text: String) throws(FormatError) -> (seconds: Int64, nanos: Int32) {
        var chars = Array(text.utf8)
        guard chars.last == UInt8(ascii: "s") else { throw .invalid(text) }
        chars.removeLast()
        var index = 0
        var negative = false
        if index < chars.count, chars[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var seconds: Int64 = 0
        var digits = 0
        while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
            guard digits < 12 else { throw .outOfRange }
            seconds = seconds * 10 + Int64(chars[index] - 48)
            index += 1
            digits += 1
        }
        guard digits > 0 else { throw .invalid(text) }
        var nanos: Int32 = 0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            index += 1
            nanos = try parseFraction(chars, &index, text)
        }
        guard index == chars.count else { throw .invalid(text) }
        guard seconds <= maxDurationSeconds else { throw .outOfRange }
        return negative ? (-seconds, -nanos) : (seconds, nanos)
    }

    // MARK: Helpers

    /// "", ".123", ".123456" or ".123456789": the shortest of 0, 3, 6 or 9 digits.
    static func fraction(_ nanos: Int32) -> String {
        if nanos == 0 { return "" }
        if nanos % 1_000_000 == 0 { return "." + pad(Int64(nanos / 1_000_000), 3) }
        if nanos % 1_000 == 0 { return "." + pad(Int64(nanos / 1_000), 6) }
        return "." + pad(Int64(nanos), 9)
    }

    static func parseFraction(_ chars: [UInt8], _ index: inout Int, _ text: String) throws(FormatError) -> Int32 {
        var nanos: Int32 = 0
        var digits = 0
        while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
            guard digits < 9 else { throw .invalid(text) }
            nanos = nanos * 10 + Int32(chars[index] - 48)
            index += 1
            digits += 1
        }
        guard digits > 0 else { throw .invalid(text) }
        for _ in digits..<9 { nanos *= 10 }
        return nanos
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Howard Hinnant's civil_from_days, the inverse of `daysSinceEpoch`.
    static func civilDate(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
