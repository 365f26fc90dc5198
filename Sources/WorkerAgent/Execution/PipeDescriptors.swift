import Glibc

/// One pipe: the agent reads `read`; the child gets `write`.
struct PipeDescriptors {
    var read: Int32
    var write: Int32

    /// A close-on-exec pipe (the child gets its end through dup2, which clears the flag).
    /// With `nonBlockingRead`, the read end is O_NONBLOCK for the poll loop; the write end
    /// stays blocking, so a job that outruns the agent blocks in write.
    static func make(nonBlockingRead: Bool = true) throws(ProcessSpawner.SpawnError) -> PipeDescriptors {
        var fds: [Int32] = [-1, -1]
        if let pipe2 = CloseOnExecPipe.pipe2 {
            // One syscall for the pipe and both close-on-exec flags, one for O_NONBLOCK
            // (a new pipe's read end has no other status flag to keep).
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw ProcessSpawner.SpawnError(code: errno) }
            if nonBlockingRead { _ = fcntl(fds[0], F_SETFL, O_NONBLOCK) }
            return PipeDescriptors(read: fds[0], write: fds[1])
        }
        // Without pipe2 the window before FD_CLOEXEC is harmless: the child closes every
        // descriptor above 3 anyway.
        guard pipe(&fds) == 0 else { throw ProcessSpawner.SpawnError(code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        if nonBlockingRead {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        }
        return PipeDescriptors(read: fds[0], write: fds[1])
    }

    /// `count` pipes, or none (the ones already made are closed) when one cannot be made.
    static func make(count: Int) throws(ProcessSpawner.SpawnError) -> [PipeDescriptors] {
        var pipes: [PipeDescriptors] = []
        do {
            for _ in 0..<count { pipes.append(try make()) }
        } catch {
            for pipe in pipes { pipe.closeBoth() }
            throw error
        }
        return pipes
    }

    /// Asks for a larger pipe buffer (fewer wakeups on chatty jobs); ignored when refused.
    func enlarge(to bytes: Int32) {
        let setPipeSize: Int32 = 1031 // F_SETPIPE_SZ
        _ = fcntl(read, setPipeSize, bytes)
    }

    func closeWrite() { close(write) }

    func closeBoth() {
        close(read)
        close(write)
    }
}

/// glibc's `pipe2`, whose declaration needs _GNU_SOURCE (which Swift's Glibc module is not
/// built with), looked up by name. A job costs four pipes: this saves three syscalls each.
private enum CloseOnExecPipe {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    static let pipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
}
