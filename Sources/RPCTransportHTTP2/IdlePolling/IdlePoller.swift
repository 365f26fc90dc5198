import Glibc
import NIOCore

/// Keeps an event loop polling its sockets for a short window after each read and each
/// flush, instead of going to sleep in `epoll_wait` the moment it has nothing to do.
///
/// Why: a core that goes idle halts, and waking it for the next packet is slow, above all in
/// a virtual machine, where the halt and the wake-up go through the hypervisor. On the 2-core
/// VM of `make bench-rpc`, a minimal C nghttp2 server answered one request at a time in 66 µs
/// when it slept between requests and in 21 µs when it polled for 50 µs after each one; the
/// client's own CPU per request halved too. Seastar's reactor (200 µs) and Linux's haltpoll
/// cpuidle governor do the same.
///
/// The cost is CPU: a window that ends without a read was spent for nothing. So the poller
/// adapts, as haltpoll does. Polling that finds something waiting is a hit; a window that runs
/// out is a miss, and costs twice as much (a whole window of CPU against one wake-up saved).
/// Once the score is not positive it stops polling and only tries again on every
/// `probeInterval`-th read. An idle fleet of agents heartbeating every few seconds hardly ever
/// polls; a client that sends its next request right after each answer keeps it polling.
///
/// While polling, the loop runs a task that asks its loop's epoll descriptor, with poll(2) and
/// no timeout, whether anything is waiting (a socket, or a task handed over from another
/// thread), and queues itself again if nothing is; once something is, it stops and the loop
/// handles it at once. It yields the core on every turn (`sched_yield`), so threads sharing it
/// (the store's writer) are not held up. A loop that shuts down runs it until the window
/// runs out, a few dozen turns.
final class IdlePoller: Sendable {
    /// Reads between two attempts to poll while polling does not pay.
    static let probeInterval = 16
    /// Bounds of the score.
    private static let maxScore = 8
    private static let minScore = -2
    /// Spins in a row finding work at their first look that make the loop count as busy.
    private static let busyAfter = 4

    private struct State {
        /// The last read or flush.
        var lastActivity = NIODeadline.distantPast
        /// An episode of polling is under way (it ends when a window runs out).
        var polling = false
        var spinScheduled = false
        /// Turns the current spin has taken (0: its first look is still to come).
        var turns = 0
        /// Spins in a row that found work waiting at their first look.
        var readyAtFirstLook = 0
        /// The loop is busy, and spinning pointless, until then.
        var busyUntil = NIODeadline.distantPast
        /// Hits minus twice the misses, clamped; polling starts on a read while it is positive.
        var score = 1
        var readsSinceProbe = 0
        var hits = 0
        var misses = 0
    }

    private let window: TimeAmount
    private let selector: Int32
    private let state: NIOLoopBoundBox<State>

    /// - Parameters:
    ///   - selector: the loop's epoll descriptor (``LoopSelectorDescriptor``).
    ///   - window: how long to keep polling after the last read or flush.
    init(loop: any EventLoop, selector: Int32, window: TimeAmount) {
        self.window = window
        self.selector = selector
        state = NIOLoopBoundBox.makeBoxSendingValue(State(), eventLoop: loop)
    }

    /// Spins that found something waiting, and windows that ran out (tests, diagnostics).
    var counts: (hits: Int, misses: Int) { (state.value.hits, state.value.misses) }

    /// Notes a read from a socket of this loop (on the loop). The window restarts when the
    /// read has been handled (`readHandled`): scheduling the spin here would put a loop task
    /// and a clock read ahead of the answer.
    func readArrived() {
        guard !state.value.polling else { return }
        state.value.readsSinceProbe += 1
        guard state.value.score > 0 || state.value.readsSinceProbe >= Self.probeInterval else { return }
        state.value.readsSinceProbe = 0
        state.value.polling = true
    }

    /// Notes that a read's handlers are done, answer flushed (on the loop).
    func readHandled() {
        guard state.value.polling else { return }
        restartWindow()
    }

    /// Notes a flush to a socket of this loop (on the loop): an answer restarts the window, so
    /// that a peer that answers quickly finds the loop still polling.
    func flushed() {
        guard state.value.polling else { return }
        restartWindow()
    }

    /// The window runs from now; a spin starts unless one is queued or the loop is busy.
    private func restartWindow() {
        state.value.lastActivity = .now()
        guard !state.value.spinScheduled, state.value.lastActivity >= state.value.busyUntil else { return }
        state.value.turns = 0
        scheduleSpin()
    }

    private func scheduleSpin() {
        guard !state.value.spinScheduled else { return }
        state.value.spinScheduled = true
        state.eventLoop.execute { [self] in spin() }
    }

    /// One turn of polling. It queues itself again behind whatever else the loop has to run
    /// (a handler's next step), so it never holds that up.
    private func spin() {
        state.value.spinScheduled = false
        guard NIODeadline.now() - state.value.lastActivity < window else {
            state.value.polling = false
            state.value.readyAtFirstLook = 0
            state.value.misses += 1
            state.value.score = max(state.value.score - 2, Self.minScore)
            return
        }
        // Something is waiting: back to the loop, which handles it now. The episode goes on;
        // the next read or flush spins again.
        var waiting = pollfd(fd: selector, events: Int16(POLLIN), revents: 0)
        if poll(&waiting, 1, 0) != 0 {
            // Work was waiting before this spin even began (the rest of a request, or load).
            // Several times in a row means load, where a spin per read would only cost a
            // system call each: rest for four windows.
            if state.value.turns == 0 {
                state.value.readyAtFirstLook += 1
                if state.value.readyAtFirstLook >= Self.busyAfter {
                    state.value.readyAtFirstLook = 0
                    state.value.busyUntil = state.value.lastActivity + window * 4
                }
            } else {
                state.value.readyAtFirstLook = 0
                state.value.hits += 1
                state.value.score = min(state.value.score + 1, Self.maxScore)
            }
            return
        }
        state.value.turns += 1
        sched_yield()
        scheduleSpin()
    }
}
