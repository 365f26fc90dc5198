// swift-tools-version:6.1
// The CODEC benchmark (`make bench-codec`): Hodei's generated code and ProtoRuntime against
// swift-protobuf 1.39 on the same .proto files. A package of its own so that the main
// build never depends on swift-protobuf. Generated code is checked in (see generate.sh).
import PackageDescription

let package = Package(
    name: "HodeiCodecBench",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // The main package, by path. Its identity is the name of the directory the
        // repository is checked out in, so it is named explicitly here.
        .package(name: "Hodei", path: "../.."),
    ],
    targets: [
        // swift-protobuf's code for Protos/hodei/v1/*.proto and Protos/bench/v1/blob.proto.
        .target(
            name: "SwiftProtobufMessages",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // hodei-protoc's code for Protos/bench/v1/blob.proto (the API messages are JobAPI's).
        .target(
            name: "HodeiBenchMessages",
            dependencies: [.product(name: "ProtoRuntime", package: "Hodei")]
        ),
        .executableTarget(
            name: "codec-bench",
            dependencies: [
                "SwiftProtobufMessages",
                "HodeiBenchMessages",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "JobAPI", package: "Hodei"),
                .product(name: "ProtoRuntime", package: "Hodei"),
            ]
        ),
    ]
)
