import Foundation
import Glibc
import NIOCore
import NIOPosix
import RPCCore
import XCTest
@testable import RPCTransportHTTP2

/// The server's loops poll for a while after each read and answer (IdlePoller): back-to-back
/// calls keep them polling, sparse ones stop it, and an idle server burns nothing.
final class IdlePollingTests: XCTestCase {
    func testFindsEachLoopsOwnEpollDescriptor() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var found: [Int32] = []
        for loop in group.makeIterator() {
            let descriptor = await LoopSelectorDescriptor.find(for: loop)
            XCTAssertNotNil(descriptor)
            if let descriptor { found.append(descriptor) }
        }
        XCTAssertEqual(Set(found).count, 2, "\(found)")
        for descriptor in found {
            var target = [CChar](repeating: 0, count: 64)
            let count = readlink("/proc/self/fd/\(descriptor)", &target, 63)
            XCTAssertEqual(String(decoding: target[0..<max(0, count)].map { UInt8(bitPattern: $0) }, as: UTF8.self), "anon_inode:[eventpoll]")
        }
        try await group.shutdownGracefully()
    }

    func testCallsInsideTheWindowKeepTheLoopPollingAndItStopsOnceTheyStop() async throws {
        // A wide window, so that a slow (debug, loaded) client still calls inside it. The
        // calls are spaced a little: a request already waiting when a spin first looks counts
        // as load, not as a hit, and four in a row rest the poller (a client on the other
        // core calling back to back can do that, and did in CI).
        let (server, client) = try await Self.echoServerAndClient(idlePollWindow: .milliseconds(20))
        for _ in 0..<200 {
            try await EchoService.echoOnce(client)
            try await Task.sleep(for: .microseconds(300))
        }
        let busy = try await server.idlePollCounts()
        XCTAssertGreaterThanOrEqual(busy.hits, 100, "\(busy)")

        // Quiet: the loop stops polling after its window and then sleeps.
        let loopThread = try await server.loopThreadCPU()
        try await Task.sleep(for: .milliseconds(100))
        let before = try await server.loopThreadCPU()
        try await Task.sleep(for: .milliseconds(400))
        let after = try await server.loopThreadCPU()
        XCTAssertLessThan(after - before, .milliseconds(40), "the loop kept polling while idle (\(loopThread) → \(after))")
        let quiet = try await server.idlePollCounts()
        XCTAssertGreaterThanOrEqual(quiet.misses, busy.misses + 1, "the last window did not end")

        try await client.shutdown()
        try await server.shutdown()
    }

    func testSparseCallsStopThePolling() async throws {
        let (server, client) = try await Self.echoServerAndClient(idlePollWindow: .microseconds(500))
        let calls = 64
        for _ in 0..<calls {
            try await EchoService.echoOnce(client)
            try await Task.sleep(for: .milliseconds(8))
        }
        // Without the adaptation every call would end in a window that runs out; with it,
        // the first ones do, then only probes.
        let counts = try await server.idlePollCounts()
        XCTAssertGreaterThanOrEqual(counts.misses, 1, "it never polled")
        XCTAssertLessThanOrEqual(counts.misses, calls / 4, "\(counts)")
        try await client.shutdown()
        try await server.shutdown()
    }

    func testAServerStopsRightAfterBusyCalls() async throws {
        // The loop must quiesce while a poll is under way (NIO gives up after 1,000 ticks).
        for _ in 0..<10 {
            let (server, client) = try await Self.echoServerAndClient(idlePollWindow: .milliseconds(5))
            for _ in 0..<5 { try await EchoService.echoOnce(client) }
            try await client.shutdown()
            try await server.shutdown(gracePeriod: .zero)
        }
    }

    /// An echo server on one event loop polling for `idlePollWindow`, and a client of it.
    private static func echoServerAndClient(idlePollWindow: Duration) async throws -> (GRPCServer, GRPCClient) {
        var configuration = GRPCServerConfiguration()
        configuration.idlePollWindow = idlePollWindow
        let server = try GRPCServer(router: EchoService.router, configuration: configuration, eventLoops: 1)
        let port = try await server.start(port: 0)
        return (server, try GRPCClient(host: "127.0.0.1", port: port))
    }
}

extension GRPCServer {
    /// CPU time of the server's (only) event loop thread so far.
    fileprivate func loopThreadCPU() async throws -> Duration {
        let thread = try await onEachLoop { _ -> String in
            // "/proc/thread-self" links to "PID/task/TID".
            var target = [CChar](repeating: 0, count: 64)
            let count = readlink("/proc/thread-self", &target, 63)
            let link = String(decoding: target[0..<max(0, count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return String(link.split(separator: "/").last ?? "")
        }[0]
        let stat = try String(contentsOfFile: "/proc/self/task/\(thread)/stat", encoding: .utf8)
        // Fields after the command name (which ends with ")"): utime is the 12th, stime the 13th.
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        let ticks = (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
        return .milliseconds(ticks * 1000 / Int(sysconf(Int32(_SC_CLK_TCK))))
    }
}
