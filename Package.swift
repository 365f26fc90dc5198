// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Hodei",
    products: [
        .executable(name: "hodei-protoc", targets: ["Codegen"]),
        .executable(name: "hodei-interop-server", targets: ["InteropServer"]),
        .executable(name: "hodei-interop-client", targets: ["InteropClient"]),
        .executable(name: "hodei-bench-echo", targets: ["BenchEcho"]),
        .library(name: "ProtoRuntime", targets: ["ProtoRuntime"]),
        .library(name: "RPCCore", targets: ["RPCCore"]),
        .library(name: "JobAPI", targets: ["JobAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64", from: "1.2.0"),
    ],
    targets: [
        // Protobuf wire format and proto3 JSON mapping used by all generated code.
        .target(
            name: "ProtoRuntime",
            dependencies: [.product(name: "ExtrasBase64", package: "swift-extras-base64")],
            swiftSettings: strictSettings
        ),
        // The RPC model shared by transports and generated service descriptors (no NIO, no C).
        .target(name: "RPCCore", swiftSettings: strictSettings),
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
            swiftSettings: strictSettings
        ),
        // Typed calls over generated messages: what generated service code builds on.
        .target(name: "ProtoRPC", dependencies: ["ProtoRuntime", "RPCCore"], swiftSettings: strictSettings),
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
            dependencies: ["RPCTransportHTTP2", "RPCCore", "StandardServices", "JobAPI", "ProtoRPC"],
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
