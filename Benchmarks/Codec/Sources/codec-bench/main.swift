// codec-bench: CODEC scenario of /work/shared/BENCHMARKS.md. Hodei's generated code
// against swift-protobuf 1.39 on the same .proto files, in one run: for each message,
// encode and decode, a warm-up, then interleaved repetitions; median and min..max.

import Foundation

let options = Options.parse(CommandLine.arguments)
let goal = 1.5

func cpusAllowed() -> String {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "?" }
    for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
        return line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
    }
    return "?"
}

// MARK: Build the messages and cross-check the two implementations

let hodeiCases = HodeiSide.cases()
let swiftProtobufCases = SwiftProtobufSide.cases()

var crossCheckFailed = false
for message in BenchMessage.allCases {
    let h = hodeiCases[message]!
    let s = swiftProtobufCases[message]!
    func check(_ what: String, _ body: () throws -> Bool) {
        do {
            if try !body() {
                log("cross-check FAILED: \(message.rawValue): \(what): decoded content differs")
                crossCheckFailed = true
            }
        } catch {
            log("cross-check FAILED: \(message.rawValue): \(what): \(error)")
            crossCheckFailed = true
        }
    }
    check("hodei -> hodei") { try h.matches(h.encoded) }
    check("swift-protobuf -> swift-protobuf") { try s.matches(s.encoded) }
    check("hodei encoding decoded by swift-protobuf") { try s.matches(h.encoded) }
    check("swift-protobuf encoding decoded by hodei") { try h.matches(s.encoded) }
    if h.encoded.count != s.encoded.count {
        log("cross-check FAILED: \(message.rawValue): encoded sizes differ: hodei \(h.encoded.count) B, swift-protobuf \(s.encoded.count) B")
        crossCheckFailed = true
    }
    let identical = h.encoded == s.encoded
    log("cross-check ok: \(message.rawValue): \(s.encoded.count) B, "
        + (identical ? "byte-identical" : "same content (bytes differ: map order)"))
}
if crossCheckFailed {
    log("aborting: the two implementations disagree")
    exit(1)
}

// MARK: Measure

log("swift-protobuf \(SwiftProtobufSide.version); CPUs allowed: \(cpusAllowed()); "
    + "\(options.repetitions) repetitions of ~\(options.target) s each, interleaved")

let clock = ContinuousClock()
let runStart = clock.now
var rows: [Row] = []

for message in BenchMessage.allCases {
    if let f = options.filter, !message.rawValue.localizedCaseInsensitiveContains(f) { continue }
    let h = hodeiCases[message]!
    let s = swiftProtobufCases[message]!
    // Both decode the same input (swift-protobuf's encoding; see the cross-check).
    let input = s.encoded
    let size = input.count

    for op in Operation.allCases {
        let bodies: [(Int) throws -> Int]
        switch op {
        case .encode: bodies = [h.encode, s.encode]
        case .decode: bodies = [{ n in try h.decode(input, n) }, { n in try s.decode(input, n) }]
        }
        // Warm-up: calibration, then one more run at the chosen count.
        var counts: [Int] = []
        for body in bodies {
            let n = try calibrate(target: options.target, body)
            _ = try timeRun(n, body)
            counts.append(n)
        }
        // Repetitions, alternating which implementation goes first.
        var times: [[Double]] = [[], []]
        for rep in 0..<options.repetitions {
            let order = rep % 2 == 0 ? [0, 1] : [1, 0]
            for i in order {
                times[i].append(try timeRun(counts[i], bodies[i]))
            }
        }
        func result(_ i: Int) -> ImplResult {
            let rates = times[i].map { Double(counts[i]) / $0 }
            let summary = Summary(rates)
            return ImplResult(
                iterationsPerRepetition: counts[i],
                secondsPerRepetition: times[i],
                messagesPerSecond: summary,
                megabytesPerSecond: summary.scaled(Double(size) / 1e6)
            )
        }
        let hr = result(0)
        let sr = result(1)
        let ratios = (0..<options.repetitions).map {
            (Double(counts[0]) / times[0][$0]) / (Double(counts[1]) / times[1][$0])
        }
        let row = Row(
            message: message.rawValue, operation: op.rawValue, encodedSize: size,
            hodei: hr, swiftProtobuf: sr, ratio: Summary(ratios)
        )
        rows.append(row)
        log(String(format: "  %@ %@: hodei %.0f msgs/s, swift-protobuf %.0f msgs/s, ratio %.2fx",
                   message.rawValue, op.rawValue, hr.messagesPerSecond.median,
                   sr.messagesPerSecond.median, row.ratio.median))
    }
}
// The floor for the 1 MiB message: allocate a fresh [UInt8] and copy the payload once,
// which any encoder producing [UInt8] and any decoder producing an owned bytes field
// must do at least once. No protobuf involved.
var blobCopyFloor: Summary?
if options.filter.map({ BenchMessage.blob.rawValue.localizedCaseInsensitiveContains($0) }) ?? true {
    let payload = Fixture.blob
    let copy: (Int) -> Int = { n in
        var total = 0
        for _ in 0..<n {
            let bytes = payload.withUnsafeBufferPointer { [UInt8]($0) }
            total &+= bytes.count
            blackHole(bytes)
        }
        return total
    }
    let n = calibrate(target: options.target, copy)
    _ = timeRun(n, copy)
    blobCopyFloor = Summary((0..<options.repetitions).map { _ in Double(n) / timeRun(n, copy) })
    log(String(format: "  Blob copy floor (allocate + memcpy 1 MiB): %.0f msgs/s", blobCopyFloor!.median))
}
let totalSeconds = seconds(clock.now - runStart)
blackHole(globalSink)

// MARK: Report

func rate(_ v: Double) -> String {
    switch v {
    case 1e6...: return String(format: "%.2fM", v / 1e6)
    case 1e3...: return String(format: "%.1fk", v / 1e3)
    default: return String(format: "%.0f", v)
    }
}

func mb(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : "%.1f", v) }

func cell(_ s: Summary, _ f: (Double) -> String) -> String {
    "\(f(s.median)) [\(f(s.min))..\(f(s.max))]"
}

if options.json {
    struct Report: Codable {
        var swiftProtobufVersion: String
        var cpusAllowed: String
        var repetitions: Int
        var targetSecondsPerRepetition: Double
        var goalRatio: Double
        var totalSeconds: Double
        var rows: [Row]
        /// Messages/s of allocating a [UInt8] and copying the 1 MiB payload into it once.
        var blobCopyFloorMessagesPerSecond: Summary?
    }
    let report = Report(
        swiftProtobufVersion: SwiftProtobufSide.version, cpusAllowed: cpusAllowed(),
        repetitions: options.repetitions, targetSecondsPerRepetition: options.target,
        goalRatio: goal, totalSeconds: totalSeconds, rows: rows,
        blobCopyFloorMessagesPerSecond: blobCopyFloor
    )
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
} else {
    print("""

    CODEC: Hodei vs swift-protobuf \(SwiftProtobufSide.version), release build, CPUs \(cpusAllowed()), \
    \(options.repetitions) interleaved repetitions of ~\(options.target) s: median [min..max]
    msgs/s = messages per second; MB/s = 10^6 bytes of encoding per second; ratio = hodei / swift-protobuf \
    throughput per repetition pair (goal >= \(goal)x)

    | message | size | op | hodei msgs/s | hodei MB/s | swift-protobuf msgs/s | swift-protobuf MB/s | ratio |
    |---|---:|---|---:|---:|---:|---:|---:|
    """)
    for r in rows {
        let mark = r.ratio.median >= goal ? "" : " (below goal)"
        print("| \(r.message) | \(r.encodedSize) B | \(r.operation) "
            + "| \(cell(r.hodei.messagesPerSecond, rate)) | \(cell(r.hodei.megabytesPerSecond, mb)) "
            + "| \(cell(r.swiftProtobuf.messagesPerSecond, rate)) | \(cell(r.swiftProtobuf.megabytesPerSecond, mb)) "
            + "| \(String(format: "%.2fx", r.ratio.median)) [\(String(format: "%.2f..%.2f", r.ratio.min, r.ratio.max))]\(mark) |")
    }
    let below = rows.filter { $0.ratio.median < goal }
    print("")
    if let floor = blobCopyFloor {
        let blobSize = Double(swiftProtobufCases[.blob]!.encoded.count)
        print("Blob copy floor (allocate a [UInt8] + one memcpy of the 1 MiB payload, no protobuf): "
            + "\(cell(floor, rate)) msgs/s, \(cell(floor.scaled(blobSize / 1e6), mb)) MB/s")
    }
    if below.isEmpty {
        print("goal >= \(goal)x met on all \(rows.count) measurements (\(String(format: "%.0f", totalSeconds)) s)")
    } else {
        print("goal >= \(goal)x NOT met on \(below.count) of \(rows.count): "
            + below.map { "\($0.message) \($0.operation) \(String(format: "%.2fx", $0.ratio.median))" }.joined(separator: ", ")
            + " (\(String(format: "%.0f", totalSeconds)) s)")
    }
}
