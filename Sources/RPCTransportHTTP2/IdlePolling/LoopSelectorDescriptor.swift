import Glibc
import NIOCore
import NIOPosix

/// Finds the epoll descriptor of a SwiftNIO event loop (NIO does not expose it).
///
/// A pipe is registered with the loop, and the one eventpoll descriptor of the process whose
/// `/proc/self/fdinfo` lists that pipe as a target is the loop's. Linux only; nil elsewhere or
/// when it cannot be told. Polling that descriptor (poll(2), which does not consume its
/// events) says whether the loop has I/O or a wake-up waiting, without sleeping.
enum LoopSelectorDescriptor {
    static func find(for loop: any EventLoop) async -> Int32? {
        #if os(Linux)
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        for end in [readEnd, writeEnd] { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { close(writeEnd) }
        guard let channel = try? await NIOPipeBootstrap(group: loop).takingOwnershipOfDescriptor(input: readEnd).get() else {
            close(readEnd)
            return nil
        }
        // Registration happens on the loop before the future completes.
        let found = eventpollDescriptors().first { targets(of: $0).contains(readEnd) }
        try? await channel.close().get()
        return found
        #else
        return nil
        #endif
    }

    private static func eventpollDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        var found: [Int32] = []
        var target = [CChar](repeating: 0, count: 64)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let fd = Int32(name) else { continue }
            let count = readlink("/proc/self/fd/\(name)", &target, target.count - 1)
            guard count > 0 else { continue }
            let link = String(decoding: target[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link == "anon_inode:[eventpoll]" { found.append(fd) }
        }
        return found
    }

    /// The descriptors an eventpoll descriptor watches ("tfd: N" lines of its fdinfo).
    private static func targets(of epoll: Int32) -> Set<Int32> {
        guard let file = fopen("/proc/self/fdinfo/\(epoll)", "r") else { return [] }
        defer { fclose(file) }
        var targets: Set<Int32> = []
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("tfd:") else { continue }
            let number = text.dropFirst(4).drop { $0 == " " }.prefix { $0.isNumber }
            if let fd = Int32(number) { targets.insert(fd) }
        }
        return targets
    }
}
