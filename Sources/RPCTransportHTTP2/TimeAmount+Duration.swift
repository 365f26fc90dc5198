import NIOCore
import RPCCore

extension TimeAmount {
    /// `duration` in NIO's unit (saturating at about 292 years).
    init(_ duration: Duration) {
        self = .nanoseconds(GRPCTimeout(duration).nanoseconds)
    }
}

extension Duration {
    init(_ amount: TimeAmount) {
        self = .nanoseconds(amount.nanoseconds)
    }
}
