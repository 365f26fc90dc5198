@main
struct ServerMain {
    static func main() async throws {}
}
