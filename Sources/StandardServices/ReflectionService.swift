import JobAPI
import ProtoRPC
import ProtoRuntime
import RPCCore

/// gRPC server reflection (`grpc.reflection.v1` and its older name `v1alpha`): lets tools
/// list a server's services and fetch their descriptors, then call them without `.proto` files.
///
/// The two versions have identical messages on the wire, so one implementation over the v1
/// types serves both paths.
public struct ReflectionService: Grpc_Reflection_V1_ServerReflectionProvider {
    private let services: [String]
    private let files: [String: ProtoFileDescriptor]
    private let fileBySymbol: [String: String]

    /// - Parameters:
    ///   - files: the compiled files of the served APIs; their imports must be included too.
    ///   - services: the fully qualified names of the services to list.
    public init(files: [ProtoFileDescriptor], services: [String]) {
        self.services = services.sorted()
        self.files = Dictionary(files.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var bySymbol: [String: String] = [:]
        for file in files {
            for symbol in file.symbols { bySymbol[symbol] = file.name }
        }
        self.fileBySymbol = bySymbol
    }

    /// The v1 and v1alpha methods, for a server's router.
    public var allServerMethods: [RPCServerMethod] {
        let v1 = serverMethods
        let v1alpha = v1.map { method in
            RPCServerMethod(
                descriptor: MethodDescriptor(service: "grpc.reflection.v1alpha.ServerReflection", method: method.descriptor.method, kind: method.descriptor.kind),
                handler: method.handler
            )
        }
        return v1 + v1alpha
    }

    public func serverReflectionInfo(
        requests: MessageStream<Grpc_Reflection_V1_ServerReflectionRequest>,
        response: MessageWriter<Grpc_Reflection_V1_ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await request in requests {
            var reply = Grpc_Reflection_V1_ServerReflectionResponse()
            reply.validHost = request.host
            reply.originalRequest = request
            reply.messageResponse = answer(request.messageRequest)
            try await response.write(reply)
        }
    }

    private func answer(_ request: Grpc_Reflection_V1_ServerReflectionRequest.MessageRequest?) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
        switch request {
        case .listServices?:
            var list = Grpc_Reflection_V1_ListServiceResponse()
            list.service = services.map { name in
                var service = Grpc_Reflection_V1_ServiceResponse()
                service.name = name
                return service
            }
            return .listServicesResponse(list)
        case .fileByFilename(let name)?:
            return fileResponse(name) ?? notFound("no file named \(name)")
        case .fileContainingSymbol(let symbol)?:
            guard let file = fileBySymbol[symbol] ?? fileBySymbol[parentSymbol(symbol)] else { return notFound("no symbol \(symbol)") }
            return fileResponse(file) ?? notFound("no file for \(symbol)")
        case .allExtensionNumbersOfType(let type)?:
            // proto3 has no extensions: a known message has none, an unknown one is NOT_FOUND.
            guard fileBySymbol[type] != nil else { return notFound("no message \(type)") }
            var numbers = Grpc_Reflection_V1_ExtensionNumberResponse()
            numbers.baseTypeName = type
            return .allExtensionNumbersResponse(numbers)
        case .fileContainingExtension?:
            return notFound("this server has no extensions")
        case nil:
            return error(.invalidArgument, "the request names no query")
        }
    }

    /// The file and everything it imports, transitively, each once.
    private func fileResponse(_ name: String) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse? {
        guard files[name] != nil else { return nil }
        var ordered: [String] = []
        var pending = [name]
        while let next = pending.popLast() {
            guard !ordered.contains(next), let file = files[next] else { continue }
            ordered.append(next)
            pending += file.dependencies
        }
        var response = Grpc_Reflection_V1_FileDescriptorResponse()
        response.fileDescriptorProto = ordered.compactMap { files[$0]?.serializedDescriptor }
        return .fileDescriptorResponse(response)
    }

    /// `pkg.Service.Method` → `pkg.Service`, for tools that ask for a method or a field.
    private func parentSymbol(_ symbol: String) -> String {
        guard let dot = symbol.lastIndex(of: ".") else { return symbol }
        return String(symbol[..<dot])
    }

    private func notFound(_ message: String) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
        error(.notFound, message)
    }

    private func error(_ code: Status.Code, _ message: String) -> Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse {
        var response = Grpc_Reflection_V1_ErrorResponse()
        response.errorCode = Int32(code.rawValue)
        response.errorMessage = message
        return .errorResponse(response)
    }
}
