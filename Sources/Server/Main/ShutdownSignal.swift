import Dispatch
import Glibc

/// Waits for SIGTERM or SIGINT, for a graceful shutdown.
enum ShutdownSignal {
    static func wait() async {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let queue = DispatchQueue(label: "hodei.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
            let resumed = ResumeOnce(continuation)
            for source in sources {
                source.setEventHandler {
                    for source in sources { source.cancel() }
                    resumed.resume()
                }
                source.resume()
            }
        }
    }
}

private final class ResumeOnce: @unchecked Sendable {
    // Touched only on the signal queue (serial).
    private var continuation: CheckedContinuation<Void, Never>?
    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }
    func resume() {
        continuation?.resume()
        continuation = nil
    }
}
