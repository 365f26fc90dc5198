import ArgumentParser

/// `hodei workers [list|get|drain]`.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "List, inspect and drain workers.",
        subcommands: [WorkersListCommand.self, WorkersGetCommand.self, WorkersDrainCommand.self],
        defaultSubcommand: WorkersListCommand.self
    )
}
