import Foundation
import Glibc

/// What the machine offers when the command line does not say: cores, memory, host name.
enum MachineCapabilities {
    /// Processors this process may use (as `nproc` counts them: its CPU affinity).
    static var processorCount: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// MemTotal in mebibytes; 0 when `/proc/meminfo` cannot be read.
    static var memoryMebibytes: UInt32 {
        MemoryInfo.read()?.totalMebibytes ?? 0
    }

    /// The host name, or "localhost" when it cannot be read.
    static var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
