/// A binary min-heap ordered by `key` (ties in any order).
struct MinHeap<Value> {
    private var storage: [(key: Int, value: Value)] = []

    var isEmpty: Bool { storage.isEmpty }
    var count: Int { storage.count }
    var min: (key: Int, value: Value)? { storage.first }

    mutating func insert(key: Int, value: Value) {
        storage.append((key, value))
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child].key < storage[parent].key else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func removeMin() -> (key: Int, value: Value)? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let minimum = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < storage.count else { break }
            var smallest = left
            if left + 1 < storage.count && storage[left + 1].key < storage[left].key { smallest = left + 1 }
            guard storage[smallest].key < storage[parent].key else { break }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
        return minimum
    }

    mutating func removeAll() {
        storage.removeAll()
    }
}

extension MinHeap: Sendable where Value: Sendable {}
