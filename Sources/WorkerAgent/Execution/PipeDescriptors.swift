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
        // pipe2(O_CLOEXEC) is not visible to Swift; the window before FD_CLOEXEC is harmless
        // because the child closes every descriptor above 3 anyway.
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
