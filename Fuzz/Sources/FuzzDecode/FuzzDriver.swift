// Entry point: hands control to libFuzzer, which calls `fuzz(_:_:)` for every input.
// (SwiftPM renames an executable's `main`, so libFuzzer's own `main` cannot be used.)

import LibFuzzerDriver

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum FuzzDecodeMain {
    static func main() {
        if let directory = getenv("FUZZ_DECODE_WRITE_SEEDS") {
            do {
                let count = try writeSeeds(to: String(cString: directory))
                print("wrote \(count) seeds to \(String(cString: directory))")
                exit(0)
            } catch {
                print("cannot write seeds: \(error)")
                exit(1)
            }
        }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data, size) })
    }
}
