// swift-tools-version:6.1
//
// libFuzzer targets for Hodei's protobuf decoder and `.proto` parser.
// Built and run by `scripts/fuzz.sh` (`make fuzz`); see Fuzz/README.md.
//
// The main package exports ProtoRuntime, RPCCore and JobAPI as products. The compiler
// library and the conformance messages are not products, so they are compiled here from
// symlinked folders (Sources/ProtoCompilerUnderFuzz, Sources/ConformanceMessages).
import PackageDescription

let package = Package(
    name: "HodeiFuzz",
    products: [
        .executable(name: "fuzz-decode", targets: ["FuzzDecode"]),
        .executable(name: "fuzz-proto-parser", targets: ["FuzzProtoParser"]),
    ],
    dependencies: [
        .package(name: "Hodei", path: ".."),
        // ProtoCompiler's own dependencies, repeated here because its sources are compiled in
        // this package (keep in step with ../Package.swift).
        .package(url: "https://github.com/swift-extras/swift-extras-base64", from: "1.2.0"),
    ],
    targets: [
        // -> ../../Sources/ProtoCompiler
        .target(
            name: "ProtoCompilerUnderFuzz",
            dependencies: [.product(name: "ExtrasBase64", package: "swift-extras-base64")],
            path: "Sources/ProtoCompilerUnderFuzz"
        ),
        // Declares libFuzzer's LLVMFuzzerRunDriver for the targets' `@main`.
        .target(name: "LibFuzzerDriver"),
        // -> ../../Tests/ConformanceTests/Generated. The generated services import ProtoRPC,
        // which is not a product of the main package; JobAPI depends on it, so depending on
        // JobAPI makes SwiftPM build the ProtoRPC module first.
        .target(
            name: "ConformanceMessages",
            dependencies: [
                .product(name: "ProtoRuntime", package: "Hodei"),
                .product(name: "RPCCore", package: "Hodei"),
                .product(name: "JobAPI", package: "Hodei"),
            ],
            path: "Sources/ConformanceMessages"
        ),
        .executableTarget(
            name: "FuzzDecode",
            dependencies: [
                "ConformanceMessages",
                "LibFuzzerDriver",
                .product(name: "ProtoRuntime", package: "Hodei"),
                .product(name: "JobAPI", package: "Hodei"),
            ]
        ),
        .executableTarget(
            name: "FuzzProtoParser",
            dependencies: ["ProtoCompilerUnderFuzz", "LibFuzzerDriver"]
        ),
    ]
)
