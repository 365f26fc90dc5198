import JobAPI
import Logging
import RPCCore
import RPCTransportHTTP2
import XCTest
@testable import WorkerAgent

final class ResolvedAgentOptionsTests: XCTestCase {
    private let machine = ResolvedAgentOptions.MachineDefaults(
        processors: 6, memoryMB: 16000, hostname: "box-7", currentDirectory: "/srv", temporaryDirectory: "/var/tmp")

    func testDefaultsComeFromTheMachine() throws {
        let resolved = try ResolvedAgentOptions.resolve(AgentOptions(), environment: [:], machine: machine)
        XCTAssertEqual(resolved.host, "127.0.0.1")
        XCTAssertEqual(resolved.port, 50051)
        XCTAssertNil(resolved.tls)
        XCTAssertEqual(resolved.logLevel, .info)
        let configuration = resolved.configuration
        XCTAssertEqual(configuration.name, "box-7")
        XCTAssertEqual(configuration.capabilities.maxConcurrentJobs, 6)
        XCTAssertEqual(configuration.capabilities.total?.cpuMillicores, 6000)
        XCTAssertEqual(configuration.capabilities.total?.memoryMb, 16000)
        XCTAssertEqual(configuration.capabilities.total?.gpus, 0)
        XCTAssertEqual(configuration.capabilities.hostname, "box-7")
        XCTAssertEqual(configuration.capabilities.agentVersion, ResolvedAgentOptions.agentVersion)
        XCTAssertEqual(configuration.capabilities.labels, [:])
        XCTAssertNil(configuration.token)
        XCTAssertEqual(configuration.callMetadata.first("authorization"), nil)
        XCTAssertEqual(configuration.defaultWorkingDirectory, "/srv")
        XCTAssertEqual(configuration.spoolDirectory, "/var/tmp")
    }

    func testEnvironmentVariablesApplyAndFlagsWin() throws {
        let environment = [
            "HODEI_SERVER": "scheduler.internal:7000", "HODEI_NAME": "from-env", "HODEI_MAX_JOBS": "3",
            "HODEI_LABELS": "zone=eu-1, gpu=a100", "HODEI_TOKEN": "env-token", "HODEI_CPU_MILLICORES": "2500",
            "HODEI_MEMORY_MB": "1024", "HODEI_GPUS": "2", "HODEI_TLS": "true", "HODEI_CA_FILE": "/etc/ca.pem",
            "HODEI_SPOOL_DIR": "/spool", "HODEI_WORK_DIR": "/jobs", "HODEI_LOG_LEVEL": "debug",
        ]
        let fromEnvironment = try ResolvedAgentOptions.resolve(AgentOptions(), environment: environment, machine: machine)
        XCTAssertEqual(fromEnvironment.host, "scheduler.internal")
        XCTAssertEqual(fromEnvironment.port, 7000)
        XCTAssertEqual(fromEnvironment.configuration.name, "from-env")
        XCTAssertEqual(fromEnvironment.configuration.capabilities.maxConcurrentJobs, 3)
        XCTAssertEqual(fromEnvironment.configuration.capabilities.labels, ["zone": "eu-1", "gpu": "a100"])
        XCTAssertEqual(fromEnvironment.configuration.callMetadata.first("authorization"), "Bearer env-token")
        XCTAssertEqual(fromEnvironment.configuration.capabilities.total?.cpuMillicores, 2500)
        XCTAssertEqual(fromEnvironment.configuration.capabilities.total?.memoryMb, 1024)
        XCTAssertEqual(fromEnvironment.configuration.capabilities.total?.gpus, 2)
        XCTAssertEqual(fromEnvironment.tls?.trustRootsPath, "/etc/ca.pem")
        XCTAssertEqual(fromEnvironment.configuration.spoolDirectory, "/spool")
        XCTAssertEqual(fromEnvironment.configuration.defaultWorkingDirectory, "/jobs")
        XCTAssertEqual(fromEnvironment.logLevel, .debug)

        var flags = AgentOptions()
        flags.server = "[::1]:9000"
        flags.name = "from-flag"
        flags.maxJobs = 9
        flags.labels = ["tier=gold"]
        flags.token = "flag-token"
        flags.cpuMillicores = 500
        flags.tls = false
        flags.logLevel = "warning"
        let fromFlags = try ResolvedAgentOptions.resolve(flags, environment: environment, machine: machine)
        XCTAssertEqual(fromFlags.host, "::1")
        XCTAssertEqual(fromFlags.port, 9000)
        XCTAssertEqual(fromFlags.configuration.name, "from-flag")
        XCTAssertEqual(fromFlags.configuration.capabilities.maxConcurrentJobs, 9)
        XCTAssertEqual(fromFlags.configuration.capabilities.labels, ["tier": "gold"], "--label replaces HODEI_LABELS")
        XCTAssertEqual(fromFlags.configuration.callMetadata.first("authorization"), "Bearer flag-token")
        XCTAssertEqual(fromFlags.configuration.capabilities.total?.cpuMillicores, 500)
        XCTAssertEqual(fromFlags.configuration.capabilities.total?.memoryMb, 1024, "no flag: the environment")
        XCTAssertNil(fromFlags.tls, "--no-tls wins over HODEI_TLS")
        XCTAssertEqual(fromFlags.logLevel, .warning)
    }

    func testMutualTLSAndInvalidValues() throws {
        var options = AgentOptions()
        options.certFile = "/c.pem"
        options.keyFile = "/k.pem"
        options.tlsServerName = "hodei.example"
        let tls = try XCTUnwrap(try ResolvedAgentOptions.resolve(options, environment: [:], machine: machine).tls)
        XCTAssertEqual(tls.certificateChainPath, "/c.pem")
        XCTAssertEqual(tls.privateKeyPath, "/k.pem")
        XCTAssertEqual(tls.serverNameOverride, "hodei.example")

        func invalid(_ options: AgentOptions, _ environment: [String: String] = [:]) -> Bool {
            (try? ResolvedAgentOptions.resolve(options, environment: environment, machine: machine)) == nil
        }
        var onlyCert = AgentOptions()
        onlyCert.certFile = "/c.pem"
        XCTAssertTrue(invalid(onlyCert))
        var badLabel = AgentOptions()
        badLabel.labels = ["novalue"]
        XCTAssertTrue(invalid(badLabel))
        var zeroJobs = AgentOptions()
        zeroJobs.maxJobs = 0
        XCTAssertTrue(invalid(zeroJobs))
        XCTAssertTrue(invalid(AgentOptions(), ["HODEI_MAX_JOBS": "many"]))
        XCTAssertTrue(invalid(AgentOptions(), ["HODEI_TLS": "maybe"]))
        XCTAssertTrue(invalid(AgentOptions(), ["HODEI_LOG_LEVEL": "loud"]))
        XCTAssertTrue(invalid(AgentOptions(), ["HODEI_SERVER": "host:99999"]))
        XCTAssertTrue(invalid(AgentOptions(), ["HODEI_SERVER": ":80"]))
    }

    func testKeepaliveIsOnByDefaultAndFlagsOrEnvironmentChangeOrDisableIt() throws {
        let defaults = try ResolvedAgentOptions.resolve(AgentOptions(), environment: [:], machine: machine)
        XCTAssertEqual(defaults.keepalive, .init(interval: .seconds(30), timeout: .seconds(10)))
        XCTAssertEqual(defaults.clientConfiguration.keepaliveInterval, .seconds(30))
        XCTAssertEqual(defaults.clientConfiguration.keepaliveTimeout, .seconds(10))
        XCTAssertFalse(defaults.clientConfiguration.keepaliveWithoutCalls, "the agent always has its JobStream open")

        let environment = ["HODEI_KEEPALIVE_INTERVAL": "5", "HODEI_KEEPALIVE_TIMEOUT": "2.5"]
        let fromEnvironment = try ResolvedAgentOptions.resolve(AgentOptions(), environment: environment, machine: machine)
        XCTAssertEqual(fromEnvironment.clientConfiguration.keepaliveInterval, .seconds(5))
        XCTAssertEqual(fromEnvironment.clientConfiguration.keepaliveTimeout, .milliseconds(2500))
        var flags = AgentOptions()
        flags.keepaliveInterval = 60
        let flagWins = try ResolvedAgentOptions.resolve(flags, environment: environment, machine: machine)
        XCTAssertEqual(flagWins.keepalive, .init(interval: .seconds(60), timeout: .milliseconds(2500)))

        var off = AgentOptions()
        off.keepaliveInterval = 0
        XCTAssertNil(try ResolvedAgentOptions.resolve(off, environment: [:], machine: machine).clientConfiguration.keepaliveInterval)
        XCTAssertNil(try ResolvedAgentOptions.resolve(AgentOptions(), environment: ["HODEI_KEEPALIVE_TIMEOUT": "0"], machine: machine).keepalive)

        var negative = AgentOptions()
        negative.keepaliveTimeout = -1
        XCTAssertThrowsError(try ResolvedAgentOptions.resolve(negative, environment: [:], machine: machine))
        XCTAssertThrowsError(try ResolvedAgentOptions.resolve(AgentOptions(), environment: ["HODEI_KEEPALIVE_INTERVAL": "soon"], machine: machine))
    }

    func testServerAddresses() throws {
        XCTAssertTrue(try ResolvedAgentOptions.parseServer("example.com") == ("example.com", 50051))
        XCTAssertTrue(try ResolvedAgentOptions.parseServer("10.0.0.1:443") == ("10.0.0.1", 443))
        XCTAssertTrue(try ResolvedAgentOptions.parseServer("[fe80::1]:8080") == ("fe80::1", 8080))
        XCTAssertTrue(try ResolvedAgentOptions.parseServer("[fe80::1]") == ("fe80::1", 50051))
    }
}
