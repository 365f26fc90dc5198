import JobAPI
import JobStore
import Synchronization

/// Acknowledges an agent's messages once they are durable, coalescing: while one commit is
/// awaited, later messages only raise the sequence the next Ack carries.
///
/// Driven by callbacks on the store's tickets rather than by a task of its own: with
/// 10,000 attached workers, a task and a stream per worker cost memory that idle workers
/// should not hold. An Ack for sequence N means every message up to N is durable: store
/// writes commit in call order, so the ticket of the latest write covers the earlier ones.
final class AckTracker: Sendable {
    private struct State {
        /// The highest sequence processed.
        var sequence: UInt64 = 0
        /// The ticket of the latest processed message that wrote something.
        var ticket: StoreWriteTicket?
        /// The highest sequence acknowledged (sent, or known to the agent from an earlier stream).
        var acked: UInt64 = 0
        /// A resent message arrived: acknowledge again even if nothing new is durable.
        var reacknowledge = false
        /// A callback is registered on a ticket; later messages wait for it.
        var waiting = false
        var finished = false
    }

    private let state = Mutex(State())
    private let session: WorkerSession

    init(session: WorkerSession) {
        self.session = session
    }

    /// Continues an agent session's numbering: nothing at or below `sequence` is acked again.
    func resume(after sequence: UInt64) {
        state.withLock { state in
            state.sequence = max(state.sequence, sequence)
            state.acked = max(state.acked, sequence)
        }
    }

    /// Message `sequence` was processed; its writes (if any) complete with `ticket`.
    func processed(sequence: UInt64, ticket: StoreWriteTicket?) {
        let wait = state.withLock { state -> (StoreWriteTicket?, UInt64)? in
            if let ticket { state.ticket = ticket }
            if sequence > state.sequence {
                state.sequence = sequence
            } else {
                state.reacknowledge = true
            }
            guard !state.waiting, !state.finished else { return nil }
            state.waiting = true
            return (state.ticket, state.sequence)
        }
        guard let (ticket, target) = wait else { return }
        waitFor(ticket, thenAcknowledge: target)
    }

    /// The highest sequence acknowledged so far (durable).
    var acknowledged: UInt64 { state.withLock { $0.acked } }

    /// No more Acks: the stream ended.
    func finish() {
        state.withLock { $0.finished = true }
    }

    private func waitFor(_ ticket: StoreWriteTicket?, thenAcknowledge target: UInt64) {
        guard let ticket else {
            acknowledge(target, durable: true)
            return
        }
        ticket.whenResolved { [self] result in
            if case .success = result { acknowledge(target, durable: true) } else { acknowledge(target, durable: false) }
        }
    }

    /// `target`'s writes resolved: send its Ack (when durable and new, or asked for again),
    /// then wait for the messages processed meanwhile, if any. After a failed write nothing
    /// is acknowledged until a later write of this stream is durable.
    private func acknowledge(_ target: UInt64, durable: Bool) {
        let (send, next) = state.withLock { state -> (Bool, (StoreWriteTicket?, UInt64)?) in
            guard !state.finished else { return (false, nil) }
            var send = false
            if durable, target > state.acked || state.reacknowledge {
                state.acked = max(state.acked, target)
                state.reacknowledge = false
                send = true
            }
            guard state.sequence > target else {
                state.waiting = false
                return (send, nil)
            }
            return (send, (state.ticket, state.sequence))
        }
        if send {
            var ack = Hodei_V1_Ack()
            ack.sequence = target
            session.send(.ack(ack))
        }
        if let (ticket, nextTarget) = next { waitFor(ticket, thenAcknowledge: nextTarget) }
    }
}
