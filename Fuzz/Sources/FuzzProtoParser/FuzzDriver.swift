// Entry point: hands control to libFuzzer, which calls `fuzz(_:_:)` for every input.
// (SwiftPM renames an executable's `main`, so libFuzzer's own `main` cannot be used.)

import LibFuzzerDriver

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum FuzzProtoParserMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data, size) })
    }
}
