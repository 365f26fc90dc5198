import ArgumentParser
import Glibc

/// `hodei`: submit, follow and manage jobs on a Hodei server.
///
/// Exit status: 0 on success; the job's own status for `submit --follow`; 1 with a one-line
/// "hodei: ..." message on standard error when a call fails; 64 for usage errors.
@main
struct HodeiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hodei",
        abstract: "Submit, follow and manage jobs on a Hodei server.",
        discussion: """
        Every subcommand takes --server (env HODEI_SERVER, default 127.0.0.1:50051), --token \
        (env HODEI_TOKEN) and the TLS options; see 'hodei help <subcommand>'.
        """,
        subcommands: [
            SubmitCommand.self, GetCommand.self, ListCommand.self, CancelCommand.self, LogsCommand.self,
            WorkersCommand.self,
        ]
    )

    /// Parses, runs, and reports failures: ``CLIError``s as one line on standard error with
    /// status 1, everything else (usage errors, help, a job's exit code) the way ArgumentParser
    /// does.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Terminal.shared.flush()
            Terminal.shared.errLine("hodei: \(error.message)")
            Glibc.exit(1)
        } catch {
            Terminal.shared.flush()
            exit(withError: error)
        }
        Terminal.shared.flush()
    }
}
