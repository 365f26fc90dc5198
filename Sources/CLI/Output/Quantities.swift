/// CPU and memory amounts as people type and read them.
enum Quantities {
    /// Millicores from "500" or "500m" (1000 = one core). Nil for anything else.
    static func parseMillicores(_ text: String) -> UInt32? {
        let digits = text.hasSuffix("m") ? String(text.dropLast()) : text
        return UInt32(digits)
    }

    /// Mebibytes from a plain number (already MB) or a number with a unit: "512M", "512Mi",
    /// "512MB", "2G", "1.5Gi", "1T". Nil for anything else or values that do not fit 32 bits.
    static func parseMegabytes(_ text: String) -> UInt32? {
        if let plain = UInt32(text) { return plain }
        let lowered = text.lowercased()
        let number = lowered.prefix { $0.isNumber || $0 == "." }
        let unit = lowered.dropFirst(number.count)
        let scales: [String: Double] = ["m": 1, "mi": 1, "mb": 1, "mib": 1, "g": 1024, "gi": 1024, "gb": 1024, "gib": 1024,
                                        "t": 1_048_576, "ti": 1_048_576, "tb": 1_048_576, "tib": 1_048_576]
        guard let value = Double(number), let scale = scales[String(unit)] else { return nil }
        let megabytes = (value * scale).rounded()
        return megabytes >= 0 && megabytes <= Double(UInt32.max) ? UInt32(megabytes) : nil
    }

    /// "512M", "1.5G", "8G", "1.2T": one decimal at most, none when whole.
    static func formatMegabytes(_ megabytes: UInt64) -> String {
        switch megabytes {
        case ..<1024: return "\(megabytes)M"
        case ..<(1 << 20): return oneDecimal(Double(megabytes) / 1024) + "G"
        default: return oneDecimal(Double(megabytes) / Double(1 << 20)) + "T"
        }
    }

    /// "250m", "2", "1.5" cores from millicores, as Kubernetes writes CPU.
    static func formatMillicores(_ millicores: UInt32) -> String {
        millicores % 1000 == 0 ? "\(millicores / 1000)" : millicores < 1000 ? "\(millicores)m" : oneDecimal(Double(millicores) / 1000)
    }

    /// "37%", "0.5%", "100%".
    static func formatPercent(_ percent: Double) -> String {
        percent > 0 && percent < 1 ? oneDecimal(percent) + "%" : "\(Int(percent.rounded()))%"
    }

    static func oneDecimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
