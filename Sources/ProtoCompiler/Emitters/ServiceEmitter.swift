/// Emits a service's method descriptors, from which transports derive typed handlers and stubs.
struct ServiceEmitter {
    let access: String

    func emit(_ service: ServiceDescriptorModel, into p: inout CodePrinter) {
        p.doc(service.comment)
        if service.deprecated { p.doc("\nDeprecated in the `.proto` file.") }
        p.block("\(access)enum \(service.swiftName)") { p in
            p.line("\(access)static let descriptor = ServiceDescriptor(")
            p.line("    name: \"\(service.fullName)\",")
            p.line("    methods: [\(service.methods.map { "Method.\($0.swiftName).descriptor" }.joined(separator: ", "))]")
            p.line(")")
            p.line()
            p.block("\(access)enum Method") { p in
                for (index, method) in service.methods.enumerated() {
                    if index > 0 { p.line() }
                    p.doc(method.comment)
                    p.block("\(access)enum \(method.swiftName)") { p in
                        p.line("\(access)typealias Input = \(method.inputSwiftName)")
                        p.line("\(access)typealias Output = \(method.outputSwiftName)")
                        p.line("\(access)static let descriptor = MethodDescriptor(")
                        p.line("    service: \"\(service.fullName)\",")
                        p.line("    method: \"\(method.name)\",")
                        p.line("    kind: \(kind(method))")
                        p.line(")")
                    }
                }
            }
        }
    }

    private func kind(_ method: MethodDescriptorModel) -> String {
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false): return ".unary"
        case (true, false): return ".clientStreaming"
        case (false, true): return ".serverStreaming"
        case (true, true): return ".bidirectionalStreaming"
        }
    }
}
