@main
struct CLIMain {
    static func main() async throws {}
}
