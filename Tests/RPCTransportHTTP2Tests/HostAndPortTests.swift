import RPCTransportHTTP2
import XCTest

/// The address spellings every command line accepts, under the three policies in use:
/// clients (default port), a listener (port required, 0 allowed, default host) and hodei-load.
final class HostAndPortTests: XCTestCase {
    func testClientSpellingsDefaultThePort() {
        func parse(_ text: String) -> HostAndPort? { HostAndPort(parsing: text, defaultPort: 50051) }
        XCTAssertEqual(parse("127.0.0.1:50051"), HostAndPort(host: "127.0.0.1", port: 50051))
        XCTAssertEqual(parse("hodei.internal"), HostAndPort(host: "hodei.internal", port: 50051))
        XCTAssertEqual(parse("[::1]:7000"), HostAndPort(host: "::1", port: 7000))
        XCTAssertEqual(parse("[::1]"), HostAndPort(host: "::1", port: 50051))
        XCTAssertEqual(parse("::1"), HostAndPort(host: "::1", port: 50051), "a bare IPv6 address has no port")
        XCTAssertEqual(parse("[::1]:7000")?.description, "[::1]:7000")
        XCTAssertEqual(parse("example.com:443")?.description, "example.com:443")
        for bad in ["", ":50051", "host:0", "host:65536", "host:port", "[::1", "[::1]x", "host:"] {
            XCTAssertNil(parse(bad), bad)
        }
    }

    func testListenersRequireAPortAllowZeroAndDefaultTheHost() {
        func parse(_ text: String) -> HostAndPort? { HostAndPort(parsing: text, defaultHost: "127.0.0.1", allowsPortZero: true) }
        XCTAssertEqual(parse("0.0.0.0:50051"), HostAndPort(host: "0.0.0.0", port: 50051))
        XCTAssertEqual(parse(":0"), HostAndPort(host: "127.0.0.1", port: 0))
        XCTAssertEqual(parse("[::]:9090"), HostAndPort(host: "::", port: 9090))
        for bad in ["127.0.0.1", "hodei", "host:-1", "host:70000", "[::1]"] {
            XCTAssertNil(parse(bad), bad)
        }
    }

    func testLoopbackHosts() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1"] {
            XCTAssertTrue(HostAndPort(host: host, port: 1).isLoopback, host)
        }
        for host in ["10.0.0.1", "example.com", "::"] {
            XCTAssertFalse(HostAndPort(host: host, port: 1).isLoopback, host)
        }
    }
}
