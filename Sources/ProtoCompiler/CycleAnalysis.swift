/// Finds message fields that close a containment cycle (`Tree.left: Tree`) so the emitter
/// can box them; Swift structs cannot contain themselves inline.
///
/// Only singular message fields and oneof members are edges: arrays and dictionaries
/// already store their elements out of line. Cycles never cross files, because files
/// cannot import each other in a cycle.
enum CycleAnalysis {
    static func markBoxedFields(in file: inout FileDescriptor) {
        var edges: [String: Set<String>] = [:]
        func collect(_ message: MessageDescriptor) {
            for field in message.fields {
                if case .message(let target) = field.type, field.cardinality == .optional || field.oneofIndex != nil {
                    edges[message.fullName, default: []].insert(target)
                }
            }
            message.messages.forEach(collect)
        }
        file.messages.forEach(collect)

        func reaches(_ start: String, _ goal: String) -> Bool {
            var visited: Set<String> = []
            var stack = [start]
            while let next = stack.popLast() {
                if next == goal { return true }
                guard visited.insert(next).inserted else { continue }
                stack += edges[next] ?? []
            }
            return false
        }

        func mark(_ message: inout MessageDescriptor) {
            for index in message.fields.indices {
                let field = message.fields[index]
                if case .message(let target) = field.type, field.cardinality == .optional || field.oneofIndex != nil,
                   reaches(target, message.fullName) {
                    message.fields[index].boxed = true
                    if let oneof = field.oneofIndex { message.oneofs[oneof].isIndirect = true }
                }
            }
            for index in message.messages.indices { mark(&message.messages[index]) }
        }
        for index in file.messages.indices { mark(&file.messages[index]) }
    }
}
