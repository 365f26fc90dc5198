@main
struct AgentCommand {
    static func main() async throws {}
}
