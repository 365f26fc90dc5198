// swift-tools-version:6.1
// The grpc-swift-2 peer of `make bench-rpc`: hodei.bench.v1.Echo (../Protos) served by
// grpc-swift-2 2.4.3 over grpc-swift-nio-transport 2.9.2 (HTTP/2, NIO posix), messages
// by swift-protobuf 1.39.0 through grpc-swift-protobuf 2.4.1. A package of its own so that
// the main build never depends on it; generated code is checked in (generate.sh), no
// SwiftPM build plugins. Built by ../build-peers.sh into ../.build-peers/swift.
import PackageDescription

let package = Package(
    name: "GRPCSwiftPeer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "grpc-swift-server",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
