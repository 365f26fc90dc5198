// grpc-swift-2 peer for `make bench-rpc`: serves hodei.bench.v1.Echo on 127.0.0.1:PORT.
//
//   grpc-swift-server --port N [--event-loops K]
//
// --event-loops: threads of the NIO event loop group (default 1: the server is pinned to
// one core by run.sh; 0 = grpc-swift's default, the singleton group of one loop per core).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOPosix

struct EchoService: Hodei_Bench_V1_Echo.SimpleServiceProtocol {
    func unary(
        request: Hodei_Bench_V1_EchoRequest,
        context: ServerContext
    ) async throws -> Hodei_Bench_V1_EchoResponse {
        var response = Hodei_Bench_V1_EchoResponse()
        response.payload = request.payload
        return response
    }

    func pingPong(
        request: RPCAsyncSequence<Hodei_Bench_V1_EchoRequest, any Error>,
        response: RPCWriter<Hodei_Bench_V1_EchoResponse>,
        context: ServerContext
    ) async throws {
        for try await message in request {
            var reply = Hodei_Bench_V1_EchoResponse()
            reply.payload = message.payload
            try await response.write(reply)
        }
    }
}

func fail(_ message: String, status: Int32) -> Never {
    let line = message + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(status)
}

func usage() -> Never {
    fail("usage: grpc-swift-server --port N [--event-loops K]", status: 2)
}

var port = 50051
var eventLoops = 1
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    switch arg {
    case "--port":
        guard let v = args.popFirst().flatMap({ Int($0) }) else { usage() }
        port = v
    case "--event-loops":
        guard let v = args.popFirst().flatMap({ Int($0) }) else { usage() }
        eventLoops = v
    default:
        usage()
    }
}

let group: MultiThreadedEventLoopGroup =
    eventLoops > 0
    ? MultiThreadedEventLoopGroup(numberOfThreads: eventLoops)
    : .singletonMultiThreadedEventLoopGroup

let server = GRPCServer(
    transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: port),
        transportSecurity: .plaintext,
        eventLoopGroup: group
    ),
    services: [EchoService()]
)

try await withThrowingDiscardingTaskGroup { tasks in
    tasks.addTask { try await server.serve() }
    guard let address = try await server.listeningAddress?.ipv4 else {
        fail("server did not bind", status: 1)
    }
    print("listening on \(address.port)")
    fflush(nil)  // all C streams: stdout is a pipe or a file under run.sh
}
