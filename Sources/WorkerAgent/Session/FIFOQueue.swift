/// A first-in first-out queue with amortized O(1) append and removal at the front (the
/// standard library has no deque and the agent does not depend on swift-collections).
struct FIFOQueue<Element> {
    private var storage: [Element] = []
    private var head = 0

    init() {}

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }
    var first: Element? { isEmpty ? nil : storage[head] }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    mutating func popFirst() -> Element? {
        guard !isEmpty else { return nil }
        let element = storage[head]
        head += 1
        if head >= 1024 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Puts `elements` in front of the queue, in their order (O(n); used on reconnects).
    mutating func prepend(contentsOf elements: [Element]) {
        storage = elements + storage[head...]
        head = 0
    }

    mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        storage = storage[head...].filter { !shouldRemove($0) }
        head = 0
    }

    /// Empties the queue, returning its elements in order.
    mutating func takeAll() -> [Element] {
        defer {
            storage = []
            head = 0
        }
        return Array(storage[head...])
    }
}
