import Dispatch
import Glibc
import Logging
import Synchronization

/// SIGTERM and SIGINT for the agent: the first starts a drain, the second stops (cancels the
/// running jobs), a third exits without waiting. SIGPIPE is ignored (a closed socket is an
/// error to handle, not a reason to die). Jobs get every signal back at its default
/// disposition (see ``ProcessSpawner``).
final class ShutdownSignals {
    private final class Counter: Sendable {
        private let count = Mutex(0)

        func increment() -> Int {
            count.withLock { count in
                count += 1
                return count
            }
        }
    }

    private var sources: [any DispatchSourceSignal] = []

    init(session: AgentSession, logger: Logger) {
        signal(SIGPIPE, SIG_IGN)
        let counter = Counter()
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let received = counter.increment()
                logger.notice("\(name) received", metadata: ["count": "\(received)"])
                if received == 1 {
                    session.requestDrain(reason: "\(name) received")
                } else {
                    session.forceStop()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
