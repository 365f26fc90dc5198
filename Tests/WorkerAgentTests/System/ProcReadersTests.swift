import XCTest
@testable import WorkerAgent

final class ProcReadersTests: XCTestCase {
    func testMemoryInfoFromThisMachine() throws {
        let info = try XCTUnwrap(MemoryInfo.read())
        XCTAssertGreaterThan(info.totalBytes, 64 << 20)
        XCTAssertLessThanOrEqual(info.availableBytes, info.totalBytes)
        XCTAssertGreaterThan(info.usedMebibytes, 0)
        XCTAssertLessThan(info.usedMebibytes, info.totalMebibytes)
        XCTAssertEqual(MachineCapabilities.memoryMebibytes, info.totalMebibytes)
    }

    func testMemoryInfoParsing() {
        let text = "MemTotal:       16384000 kB\nMemFree:  100 kB\nMemAvailable:    4096000 kB\n"
        XCTAssertEqual(MemoryInfo.parse(text), MemoryInfo(totalBytes: 16_384_000 * 1024, availableBytes: 4_096_000 * 1024))
        XCTAssertEqual(MemoryInfo.parse(text)?.usedMebibytes, (16_384_000 - 4_096_000) / 1024)
        XCTAssertNil(MemoryInfo.parse("MemTotal: 10 kB\n"))
    }

    func testCPUUsageParsingAndPercent() throws {
        let before = try XCTUnwrap(CPUUsageSampler.parse("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n"))
        XCTAssertEqual(before, CPUUsageSampler.Counters(busy: 200, total: 1000))
        let after = CPUUsageSampler.Counters(busy: 500, total: 2000)
        XCTAssertEqual(CPUUsageSampler.percent(from: before, to: after), 30, accuracy: 1e-9)
        XCTAssertEqual(CPUUsageSampler.percent(from: after, to: after), 0)
        XCTAssertNil(CPUUsageSampler.parse("intr 1 2 3\n"))
    }

    func testCPUUsageOfThisMachineIsAPercentage() async throws {
        let sampler = CPUUsageSampler()
        let sinceBoot = sampler.sample()
        XCTAssertTrue((0...100).contains(sinceBoot))
        // Keep one core busy for a while: the next sample sees it.
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(300))
        var spins = 0
        while ContinuousClock.now < deadline { spins &+= 1 }
        let busy = sampler.sample()
        XCTAssertGreaterThan(busy, 100.0 / Double(MachineCapabilities.processorCount) / 4, "spins: \(spins)")
        XCTAssertLessThanOrEqual(busy, 100)
    }

    func testMachineDefaults() {
        XCTAssertGreaterThanOrEqual(MachineCapabilities.processorCount, 1)
        XCTAssertFalse(MachineCapabilities.hostname.isEmpty)
    }
}
