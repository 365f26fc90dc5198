/// A double-ended FIFO: O(1) amortized append, prepend and removeFirst (two arrays, no ring).
///
/// Prepended elements live reversed in `front` (its last element comes first); appended ones
/// in `back` from `backStart` on, which is compacted once half of it has been consumed.
struct FIFODeque<Element> {
    private var front: [Element] = []
    private var back: [Element] = []
    private var backStart = 0

    var count: Int { front.count + back.count - backStart }
    var isEmpty: Bool { front.isEmpty && backStart == back.count }

    var first: Element? {
        if let element = front.last { return element }
        return backStart < back.count ? back[backStart] : nil
    }

    mutating func append(_ element: Element) {
        back.append(element)
    }

    mutating func prepend(_ element: Element) {
        front.append(element)
    }

    @discardableResult
    mutating func removeFirst() -> Element? {
        if let element = front.popLast() { return element }
        guard backStart < back.count else { return nil }
        let element = back[backStart]
        backStart += 1
        if backStart == back.count {
            back.removeAll(keepingCapacity: true)
            backStart = 0
        } else if backStart >= 1024 && backStart * 2 >= back.count {
            back.removeFirst(backStart)
            backStart = 0
        }
        return element
    }

    /// Keeps only the elements for which `isIncluded` holds, in order. O(count).
    mutating func filter(_ isIncluded: (Element) -> Bool) {
        let kept = front.reversed().filter(isIncluded) + back[backStart...].filter(isIncluded)
        front = []
        back = kept
        backStart = 0
    }
}

extension FIFODeque: Sendable where Element: Sendable {}
