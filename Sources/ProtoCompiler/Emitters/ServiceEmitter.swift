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

    /// The protocol a server implements, and the adapter from it to transport methods.
    func emitProvider(_ service: ServiceDescriptorModel, into p: inout CodePrinter) {
        p.line("/// Implement to serve `\(service.fullName)`; register `serverMethods` with a server.")
        p.block("\(access)protocol \(service.swiftName)Provider: Sendable") { p in
            for (index, method) in service.methods.enumerated() {
                if index > 0 { p.line() }
                p.doc(method.comment)
                p.line("func \(signature(method))")
            }
        }
        p.line()
        p.block("extension \(service.swiftName)Provider") { p in
            p.line("/// The methods of `\(service.fullName)`, bound to this provider.")
            p.block("\(access)var serverMethods: [RPCServerMethod]") { p in
                p.line("[")
                p.indent()
                for method in service.methods {
                    let descriptor = "\(service.swiftName).Method.\(method.swiftName).descriptor"
                    let name = functionName(method)
                    switch (method.clientStreaming, method.serverStreaming) {
                    case (false, false):
                        p.line("ServerMethods.unary(\(descriptor)) { (request: \(method.inputSwiftName), context) in")
                        p.line("    try await self.\(name)(request: request, context: context)")
                    case (false, true):
                        p.line("ServerMethods.serverStreaming(\(descriptor)) { (request: \(method.inputSwiftName), response: MessageWriter<\(method.outputSwiftName)>, context) in")
                        p.line("    try await self.\(name)(request: request, response: response, context: context)")
                    case (true, false):
                        p.line("ServerMethods.clientStreaming(\(descriptor)) { (requests: MessageStream<\(method.inputSwiftName)>, context) in")
                        p.line("    try await self.\(name)(requests: requests, context: context)")
                    case (true, true):
                        p.line("ServerMethods.bidirectionalStreaming(\(descriptor)) { (requests: MessageStream<\(method.inputSwiftName)>, response: MessageWriter<\(method.outputSwiftName)>, context) in")
                        p.line("    try await self.\(name)(requests: requests, response: response, context: context)")
                    }
                    p.line("},")
                }
                p.outdent()
                p.line("]")
            }
        }
    }

    /// A client stub over any transport, one function per method.
    func emitClient(_ service: ServiceDescriptorModel, into p: inout CodePrinter) {
        p.line("/// Calls `\(service.fullName)` over any transport (such as an HTTP/2 `GRPCClient`).")
        p.block("\(access)struct \(service.swiftName)Client: Sendable") { p in
            p.line("\(access)let transport: any RPCClientTransport")
            p.line()
            p.line("\(access)init(transport: any RPCClientTransport) {")
            p.line("    self.transport = transport")
            p.line("}")
            for method in service.methods {
                p.line()
                p.doc(method.comment)
                let descriptor = "\(service.swiftName).Method.\(method.swiftName).descriptor"
                let name = functionName(method)
                let options = "metadata: Metadata = [:], options: RPCCallOptions = .init()"
                switch (method.clientStreaming, method.serverStreaming) {
                case (false, false):
                    p.block("\(access)func \(name)(_ request: \(method.inputSwiftName), \(options)) async throws -> \(method.outputSwiftName)") { p in
                        p.line("try await ClientCalls.unary(transport, \(descriptor), request, metadata: metadata, options: options)")
                    }
                case (false, true):
                    p.block("\(access)func \(name)(_ request: \(method.inputSwiftName), \(options)) async throws -> ResponseStream<\(method.outputSwiftName)>") { p in
                        p.line("try await ClientCalls.serverStreaming(transport, \(descriptor), request, metadata: metadata, options: options)")
                    }
                case (true, _):
                    p.block("\(access)func \(name)(\(options)) async throws -> StreamingCall<\(method.inputSwiftName), \(method.outputSwiftName)>") { p in
                        p.line("try await ClientCalls.streaming(transport, \(descriptor), metadata: metadata, options: options)")
                    }
                }
            }
        }
    }

    private func functionName(_ method: MethodDescriptorModel) -> String {
        let name = SwiftNaming.lowerCamel(method.name)
        return name.isEmpty ? method.name + "_call" : SwiftNaming.escaped(name)
    }

    private func signature(_ method: MethodDescriptorModel) -> String {
        let name = functionName(method)
        let input = method.inputSwiftName
        let output = method.outputSwiftName
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false):
            return "\(name)(request: \(input), context: ServerContext) async throws -> \(output)"
        case (false, true):
            return "\(name)(request: \(input), response: MessageWriter<\(output)>, context: ServerContext) async throws"
        case (true, false):
            return "\(name)(requests: MessageStream<\(input)>, context: ServerContext) async throws -> \(output)"
        case (true, true):
            return "\(name)(requests: MessageStream<\(input)>, response: MessageWriter<\(output)>, context: ServerContext) async throws"
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
