import ArgumentParser
import Foundation
import ProtoRPC
import RPCCore
import RPCTransportHTTP2

/// `hodei-bench-echo`: hodei.bench.v1.Echo on Hodei's transport, for `make bench-rpc`
/// (Benchmarks/RPC), side by side with the same service on grpc-go, grpc C++ and grpc-swift-2.
@main
struct BenchEchoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hodei-bench-echo", abstract: "Serve hodei.bench.v1.Echo for benchmarks.")

    @Option(name: .customLong("port")) var port = 50051
    @Option(name: .customLong("event-loops"), help: "Event loop threads (the benchmark pins the server to one core).")
    var eventLoops = 1
    @Option(name: .customLong("idle-poll-us"), help: "Microseconds a loop keeps polling after a read or an answer (0: sleep at once).")
    var idlePollUs = 50

    func run() async throws {
        var configuration = GRPCServerConfiguration()
        configuration.idlePollWindow = .microseconds(idlePollUs)
        let server = try GRPCServer(router: RPCRouter(EchoService().serverMethods), configuration: configuration, eventLoops: eventLoops)
        let bound = try await server.start(host: "127.0.0.1", port: port)
        print("listening on \(bound)")
        fflush(nil)
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}

/// Echoes payloads: decoded and re-encoded as typed messages, as the peer servers do.
struct EchoService: Hodei_Bench_V1_EchoProvider {
    func unary(request: Hodei_Bench_V1_EchoRequest, context: ServerContext) async throws -> Hodei_Bench_V1_EchoResponse {
        var response = Hodei_Bench_V1_EchoResponse()
        response.payload = request.payload
        return response
    }

    func pingPong(
        requests: MessageStream<Hodei_Bench_V1_EchoRequest>,
        response: MessageWriter<Hodei_Bench_V1_EchoResponse>,
        context: ServerContext
    ) async throws {
        for try await request in requests {
            var message = Hodei_Bench_V1_EchoResponse()
            message.payload = request.payload
            try await response.write(message)
        }
    }
}
