import Synchronization

/// A boolean shared between tasks (Mutex itself cannot be captured by escaping closures).
final class SharedFlag: Sendable {
    private let value = Atomic(false)

    init() {}

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() { value.store(true, ordering: .releasing) }
}
