@testable import HodeiCLI
import RPCTransportHTTP2
import XCTest

/// How `--server` and HODEI_SERVER resolve to an address (its spellings: HostAndPortTests).
final class ServerAddressTests: XCTestCase {
    private func settings(server: String? = nil, token: String? = nil, tls: Bool = false, certFile: String? = nil,
                          environment: [String: String]) throws -> ConnectionSettings {
        try ConnectionSettings(server: server, token: token, tls: tls, caFile: nil, certFile: certFile, keyFile: nil,
                               tlsServerName: nil, rpcTimeout: nil, environment: environment)
    }

    func testTheEnvironmentFillsInWhatFlagsLeaveOut() throws {
        let resolved = try settings(token: "flag-token", environment: [
            "HODEI_SERVER": "hodei:7000", "HODEI_TOKEN": "env-token", "HODEI_CA_FILE": "/ca.pem", "HODEI_RPC_TIMEOUT": "2m",
        ])
        XCTAssertEqual(resolved.address, HostAndPort(host: "hodei", port: 7000))
        XCTAssertEqual(resolved.token, "flag-token")
        XCTAssertEqual(resolved.tls?.trustRootsPath, "/ca.pem")
        XCTAssertEqual(resolved.rpcTimeout, .seconds(120))
        XCTAssertEqual(try settings(server: "other:1", environment: ["HODEI_SERVER": "hodei:7000"]).address.host, "other")
    }

    func testDefaults() throws {
        let defaults = try settings(environment: [:])
        XCTAssertEqual(defaults.address, HostAndPort(host: "127.0.0.1", port: 50051))
        XCTAssertNil(defaults.tls)
        XCTAssertNil(defaults.token)
        XCTAssertEqual(defaults.rpcTimeout, .seconds(10))
    }

    func testTLSSwitches() throws {
        XCTAssertNotNil(try settings(environment: ["HODEI_TLS": "1"]).tls)
        XCTAssertNotNil(try settings(tls: true, environment: [:]).tls)
        XCTAssertNil(try settings(environment: ["HODEI_TLS": "0"]).tls)
        XCTAssertThrowsError(try settings(certFile: "client.pem", environment: [:]))
    }
}
