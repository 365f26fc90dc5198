/// The `grpc-timeout` header: at most eight ASCII digits and a unit
/// (`H` hours, `M` minutes, `S` seconds, `m` ms, `u` µs, `n` ns).
public struct GRPCTimeout: Sendable, Hashable, CustomStringConvertible {
    /// The timeout in nanoseconds, saturated at what the header can express.
    public let nanoseconds: Int64

    private static let maxAmount: Int64 = 99_999_999
    private static let units: [(Character, Int64)] = [
        ("n", 1), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000),
        ("M", 60_000_000_000), ("H", 3_600_000_000_000),
    ]

    public init(nanoseconds: Int64) {
        self.nanoseconds = max(0, nanoseconds)
    }

    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self.init(nanoseconds: nanos.overflow ? Int64.max : nanos.partialValue &+ attoseconds / 1_000_000_000)
    }

    /// Parses a header value; nil if it is not in the wire form.
    public init?(headerValue: String) {
        let utf8 = Array(headerValue.utf8)
        guard utf8.count >= 2, utf8.count <= 9, let unitChar = headerValue.last,
              let unit = Self.units.first(where: { $0.0 == unitChar })?.1 else { return nil }
        var amount: Int64 = 0
        for digit in utf8.dropLast() {
            guard digit >= 48, digit <= 57 else { return nil }
            amount = amount * 10 + Int64(digit - 48)
        }
        let product = amount.multipliedReportingOverflow(by: unit)
        self.init(nanoseconds: product.overflow ? Int64.max : product.partialValue)
    }

    /// The finest unit whose amount fits eight digits, rounded up so that a deadline is
    /// never shortened on the way.
    public var headerValue: String {
        for (unit, scale) in Self.units {
            let (amount, remainder) = nanoseconds.quotientAndRemainder(dividingBy: scale)
            let roundedUp = remainder == 0 ? amount : amount + 1
            if roundedUp <= Self.maxAmount { return "\(roundedUp)\(unit)" }
        }
        return "\(Self.maxAmount)H"
    }

    public var duration: Duration { .nanoseconds(nanoseconds) }

    public var description: String { headerValue }
}
