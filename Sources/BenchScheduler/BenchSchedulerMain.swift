@main
struct BenchSchedulerMain {
    static func main() async throws {}
}
