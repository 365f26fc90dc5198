import Glibc

/// Starts a job's process with `posix_spawn`.
///
/// The child: leads its own process group (POSIX_SPAWN_SETPGROUP, so signals reach the job and
/// everything it starts), has every signal at its default disposition and none blocked (the
/// agent ignores SIGPIPE and handles SIGTERM itself; ignored dispositions would otherwise be
/// inherited), reads /dev/null as stdin, writes fds 1, 2 and 3 into the given pipes, has no
/// other descriptor (closefrom 4), and starts in the plan's working directory.
enum ProcessSpawner {
    /// The pipe ends the child gets as fds 1, 2 and 3.
    struct ChildDescriptors {
        var stdout: Int32
        var stderr: Int32
        var progress: Int32
    }

    /// What starts a plan's process and returns its pid: ``spawn(_:descriptors:)``, or in
    /// tests one that stalls like an exec on a hung mount.
    typealias Function = @Sendable (LaunchPlan, ChildDescriptors) throws(SpawnError) -> pid_t

    /// posix_spawn's failure, with the errno it returned.
    struct SpawnError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "spawn failed: \(String(cString: strerror(code)))" }
    }

    /// Spawns the process; returns its pid (which is also its process group id).
    static func spawn(_ plan: LaunchPlan, descriptors: ChildDescriptors) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, descriptors.stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, descriptors.stderr, 2)
        posix_spawn_file_actions_adddup2(&actions, descriptors.progress, LaunchPlan.progressDescriptor)
        guard let addChdir = GNUSpawnActions.addChdir else { throw SpawnError(code: ENOSYS) }
        _ = addChdir(&actions, plan.workingDirectory)
        if let addClosefrom = GNUSpawnActions.addClosefrom {
            _ = addClosefrom(&actions, LaunchPlan.progressDescriptor + 1)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)

        var pid: pid_t = 0
        let result = withCStringArray(plan.arguments) { argv in
            withCStringArray(plan.environment) { envp in
                posix_spawn(&pid, plan.executable, &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else { throw SpawnError(code: result) }
        return pid
    }

    /// Calls `body` with a NULL-terminated array of C strings that lives for the call.
    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `..._addclosefrom_np` (2.34).
/// Their declarations need _GNU_SOURCE, which Swift's Glibc module is not built with, so they
/// are looked up by name (they are plain, non-variadic C functions).
private enum GNUSpawnActions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
    /// Without it (glibc before 2.34) the child still gets no agent descriptor: every one the
    /// agent opens is close-on-exec.
    static let addClosefrom: AddClosefrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddClosefrom.self) }
}
