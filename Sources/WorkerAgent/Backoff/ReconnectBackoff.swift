import Foundation

/// Delays between reconnection attempts: exponential with full jitter.
///
/// After the n-th consecutive failure the agent waits a uniformly random time between 0 and
/// `min(maximum, base * factor^(n-1))` ("full jitter"), so a thousand agents that lost the
/// same server spread their returns over the whole window instead of arriving together.
struct ReconnectBackoff: Sendable, Equatable {
    var base: Duration = .milliseconds(200)
    var factor = 2.0
    /// WorkerSettings.max_reconnect_backoff (default 30 s).
    var maximum: Duration = .seconds(30)

    init(base: Duration = .milliseconds(200), factor: Double = 2.0, maximum: Duration = .seconds(30)) {
        self.base = base
        self.factor = factor
        self.maximum = maximum
    }

    /// The upper bound of the wait after `failures` consecutive failures (at least 1).
    func ceiling(afterFailures failures: Int) -> Duration {
        let exponent = Double(max(0, failures - 1))
        let seconds = base.inSeconds * pow(factor, min(exponent, 64))
        return seconds >= maximum.inSeconds ? maximum : .nanoseconds(Int64(seconds * 1e9))
    }

    /// A random wait in `0...ceiling(afterFailures:)`.
    func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(afterFailures: failures).inSeconds
        return .nanoseconds(Int64(Double.random(in: 0...ceiling, using: &generator) * 1e9))
    }

    func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }
}
