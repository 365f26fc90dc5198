/// CPU and memory amounts as people type and read them.
enum Quantities {
    /// Millicores from CPU as Kubernetes writes it: "500m" is 500 millicores, a plain number
    /// counts cores ("2" is 2000, "1.5" is 1500). Nil for anything else.
    static func parseMillicores(_ text: String) -> UInt32? {
        if text.hasSuffix("m") { return UInt32(text.dropLast()) }
        guard text.allSatisfy({ $0.isNumber || $0 == "." }), let cores = Double(text), cores.isFinite else { return nil }
        let millicores = (cores * 1000).rounded()
        return millicores >= 0 && millicores <= Double(UInt32.max) ? UInt32(millicores) : nil
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
