// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
/// The RPC stack's async functions run on their caller's executor (a handler's task stays on
/// its connection's event loop) instead of hopping to the generic executor at each call.
/// (Its loop-confined classes mark their stored properties `@exclusivity(unchecked)`; no
/// unsafe flags, so the libraries stay usable as a package dependency.)
let rpcSettings = strictSettings + [
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "Hodei",
    products: [
        .executable(name: "hodei-protoc", targets: ["Codegen"]),
        .executable(name: "hodei-interop-server", targets: ["InteropServer"]),
        .executable(name: "hodei-interop-client", targets: ["InteropClient"]),
        .executable(name: "hodei-bench-echo", targets: ["BenchEcho"]),
        .executable(name: "hodei-server", targets: ["Server"]),
        .executable(name: "hodei-agent", targets: ["WorkerAgent"]),
        .executable(name: "hodei", targets: ["HodeiCLI"]),
        .executable(name: "hodei-bench-scheduler", targets: ["BenchScheduler"]),
        .executable(name: "hodei-load", targets: ["LoadTest"]),
        .library(name: "ProtoRuntime", targets: ["ProtoRuntime"]),
        .library(name: "RPCCore", targets: ["RPCCore"]),
        .library(name: "JobAPI", targets: ["JobAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Protobuf wire format and proto3 JSON mapping used by all generated code.
        .target(
            name: "ProtoRuntime",
            dependencies: [.product(name: "ExtrasBase64", package: "swift-extras-base64")],
            swiftSettings: strictSettings
        ),
        // The RPC model shared by transports and generated service descriptors (no NIO, no C).
        .target(name: "RPCCore", swiftSettings: rpcSettings),
        // libnghttp2 (Debian libnghttp2-dev): HTTP/2 framing, HPACK and flow control.
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        // OpenSSL (Debian libssl-dev): TLS with ALPN h2 and mutual TLS.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // zlib (Debian zlib1g-dev): gzip message compression.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // gRPC over HTTP/2: SwiftNIO sockets and event loops, nghttp2 sessions.
        .target(
            name: "RPCTransportHTTP2",
            dependencies: [
                "RPCCore", "CNGHTTP2", "CZlib", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
            ],
            swiftSettings: rpcSettings
        ),
        // Typed calls over generated messages: what generated service code builds on.
        .target(name: "ProtoRPC", dependencies: ["ProtoRuntime", "RPCCore"], swiftSettings: rpcSettings),
        // The services every Hodei server offers: health checking (and reflection).
        .target(name: "StandardServices", dependencies: ["JobAPI", "ProtoRPC", "ProtoRuntime", "RPCCore"], swiftSettings: strictSettings),
        // grpc.testing.TestService, for the official gRPC interop tests (Interop/).
        .target(name: "InteropTesting", dependencies: ["ProtoRuntime", "RPCCore", "ProtoRPC"], swiftSettings: strictSettings),
        .executableTarget(
            name: "InteropServer",
            dependencies: [
                "InteropTesting", "RPCTransportHTTP2", "RPCCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "InteropClient",
            dependencies: [
                "InteropTesting", "RPCTransportHTTP2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The echo server `make bench-rpc` measures against the peers (Benchmarks/RPC).
        .executableTarget(
            name: "BenchEcho",
            dependencies: [
                "ProtoRuntime", "ProtoRPC", "RPCCore", "RPCTransportHTTP2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // `.proto` lexer, parser, resolver and Swift emitters, as a testable library.
        .target(
            name: "ProtoCompiler",
            dependencies: [.product(name: "ExtrasBase64", package: "swift-extras-base64")],
            swiftSettings: strictSettings
        ),
        // `hodei-protoc`: the command-line shell over ProtoCompiler.
        .executableTarget(
            name: "Codegen",
            dependencies: [
                "ProtoCompiler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Code generated from Protos/ by `make generate`; checked in.
        .target(name: "JobAPI", dependencies: ["ProtoRuntime", "RPCCore", "ProtoRPC"], swiftSettings: strictSettings),

        // SQLite (Debian libsqlite3-dev): the embedded store.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The durable store behind a protocol; SQLite (WAL, one group-committing writer) implements it.
        .target(name: "JobStore", dependencies: ["JobAPI", "ProtoRuntime", "CSQLite"], swiftSettings: strictSettings),
        // Pure scheduling logic: priority queues and bin-packing placement. No I/O, no clocks.
        .target(name: "Scheduling", swiftSettings: strictSettings),
        // The log lines of hodei-server and hodei-agent (swift-log's stream format, cheaper).
        .target(
            name: "HodeiLogging",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // `hodei-server`: registry, scheduler, JobService and WorkerService over the store.
        .executableTarget(
            name: "Server",
            dependencies: [
                "JobAPI", "JobStore", "Scheduling", "ProtoRPC", "ProtoRuntime", "RPCCore", "RPCTransportHTTP2",
                "StandardServices", "HodeiLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // `hodei-agent`: registers, holds the JobStream, runs jobs as processes.
        .executableTarget(
            name: "WorkerAgent",
            dependencies: [
                "JobAPI", "ProtoRPC", "ProtoRuntime", "RPCCore", "RPCTransportHTTP2", "HodeiLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // `hodei`: the command line people use to submit, follow and manage jobs.
        .executableTarget(
            name: "HodeiCLI",
            dependencies: [
                "JobAPI", "ProtoRPC", "ProtoRuntime", "RPCCore", "RPCTransportHTTP2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CLI",
            swiftSettings: strictSettings
        ),
        // `make bench-scheduler`: placements per second over synthetic fleets and queues.
        .executableTarget(
            name: "BenchScheduler",
            dependencies: ["Scheduling", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        // `hodei-load`: simulated workers and submitters against a running hodei-server
        // (DISPATCH-T/L, SCALE-W, STORM of `make bench-dispatch`).
        .executableTarget(
            name: "LoadTest",
            dependencies: [
                "JobAPI", "ProtoRPC", "ProtoRuntime", "RPCCore", "RPCTransportHTTP2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                // One event-loop group shared by thousands of client connections.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        // Shared by test targets: throwaway TLS certificates.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "HodeiLoggingTests",
            dependencies: ["HodeiLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "JobStoreTests", dependencies: ["JobStore", "JobAPI", "ProtoRuntime", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "JobStore", "Scheduling", "JobAPI", "ProtoRPC", "ProtoRuntime", "RPCCore", "RPCTransportHTTP2", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WorkerAgentTests",
            dependencies: ["WorkerAgent", "JobAPI", "ProtoRuntime", "ProtoRPC", "RPCCore", "RPCTransportHTTP2", "TestSupport"],
            swiftSettings: strictSettings
        ),
        // Runs the built `hodei` against fake services on loopback; unit tests of its output helpers.
        .testTarget(
            name: "HodeiCLITests",
            dependencies: ["HodeiCLI", "JobAPI", "ProtoRPC", "ProtoRuntime", "RPCCore", "RPCTransportHTTP2", "TestSupport"],
            swiftSettings: strictSettings
        ),
        // Real hodei-server, hodei-agent and hodei processes on loopback.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["JobAPI", "ProtoRPC", "ProtoRuntime", "RPCCore", "RPCTransportHTTP2", "TestSupport"],
            exclude: ["Peers"],
            swiftSettings: strictSettings
        ),
        // Short real runs of hodei-load against a child hodei-server.
        .testTarget(name: "LoadTestTests", dependencies: ["LoadTest", "JobAPI", "RPCTransportHTTP2", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ProtoRuntimeTests", dependencies: ["ProtoRuntime"], swiftSettings: strictSettings),
        .testTarget(
            name: "ProtoCompilerTests",
            dependencies: ["ProtoCompiler"],
            exclude: ["Peers"],
            resources: [.copy("Inputs")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "RPCCoreTests", dependencies: ["RPCCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "RPCTransportHTTP2Tests",
            dependencies: ["RPCTransportHTTP2", "RPCCore", "StandardServices", "JobAPI", "ProtoRPC", "TestSupport",
                           .product(name: "NIOPosix", package: "swift-nio")],
            exclude: ["Peers"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "JobAPITests", dependencies: ["JobAPI", "ProtoRuntime"], swiftSettings: strictSettings),
        // Cross-checks our encoding against Python protobuf and protobuf-c (peers in Peers/).
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["ProtoRuntime", "RPCCore", "ProtoRPC"],
            exclude: ["Peers"],
            swiftSettings: strictSettings
        ),
    ]
)
