import Glibc

/// While a job is followed, Ctrl-C stops following, not the job: the handler removes the
/// progress bar (on a terminal), says so in one line, and exits 130 as a shell does after
/// SIGINT. Everything it calls is async-signal-safe (`write`, `_exit`); standard output has
/// nothing pending, as the follower flushes after every log line.
enum InterruptHandler {
    static func install(onTerminal: Bool) {
        if onTerminal {
            signal(SIGINT) { _ in
                let text: StaticString = "\r\u{1B}[2Khodei: stopped following; the job keeps running ('hodei cancel' stops it)\n"
                _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
                _exit(130)
            }
        } else {
            signal(SIGINT) { _ in
                let text: StaticString = "hodei: stopped following; the job keeps running ('hodei cancel' stops it)\n"
                _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
                _exit(130)
            }
        }
    }

    static func remove() {
        signal(SIGINT, SIG_DFL)
    }
}
