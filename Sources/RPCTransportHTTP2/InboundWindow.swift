/// When the DATA bytes of one stream are given back to the peer as HTTP/2 window
/// (`nghttp2_session_consume`), so that a reader slower than its peer stops the peer instead
/// of growing a queue. A value on the stream; confined to the connection's event loop.
///
/// Bytes are *held* from arrival until given back. Bytes of complete messages waiting in the
/// reader's queue are given back as the reader takes each message. Bytes not in the queue
/// (a message still being assembled, framing, a message handed straight to a waiting
/// reader) are given back as soon as the queue is empty, and otherwise together with the
/// message that empties it. So held bytes never exceed the stream window while the reader
/// is behind, yet a message larger than the window can always complete once the reader has
/// caught up (the receive size limit bounds that message; no deadlock).
///
/// Every function returns the bytes to give back now (0: none). Invariant: `queued <= held`.
struct InboundWindow {
    /// Received and not given back.
    private(set) var held = 0
    /// Of `held`, the bytes of messages waiting in the reader's queue.
    private(set) var queued = 0

    /// `count` bytes of DATA arrived (call `queue` for the messages among them, then `settle`).
    mutating func arrive(_ count: Int) {
        held += count
    }

    /// A complete message of `size` bytes (its 5-byte prefix included) waits in the queue.
    mutating func queue(_ size: Int) {
        queued += size
    }

    /// After an arrival: everything held when nothing waits in the queue.
    mutating func settle() -> Int {
        guard queued == 0 else { return 0 }
        defer { held = 0 }
        return held
    }

    /// The reader took a queued message of `size` bytes. Ignored after `releaseAll`.
    mutating func take(_ size: Int) -> Int {
        guard queued > 0 else { return 0 }
        queued -= min(size, queued)
        let count = queued == 0 ? held : size
        held -= count
        return count
    }

    /// The stream ended or its messages are dropped: everything held; later takes are ignored.
    mutating func releaseAll() -> Int {
        defer { held = 0; queued = 0 }
        return held
    }
}
