@main
struct AgentMain {
    static func main() async throws {}
}
