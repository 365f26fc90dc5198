import Foundation

// Timing machinery shared by both implementations. Nothing here imports either
// protobuf library: each implementation hands over closures that run its own tight,
// specialised loop (HodeiSide.swift, SwiftProtobufSide.swift).

/// What one implementation provides for one benchmark message.
struct ImplCase {
    /// This implementation's encoding of the fixture message.
    let encoded: [UInt8]
    /// Encodes the fixture message `n` times into fresh `[UInt8]`s; returns the bytes produced.
    let encode: (_ n: Int) -> Int
    /// Decodes `bytes` `n` times into fresh messages; returns a value derived from them.
    let decode: (_ bytes: [UInt8], _ n: Int) throws -> Int
    /// Decodes `bytes` and tells whether the result equals this implementation's fixture message.
    let matches: (_ bytes: [UInt8]) throws -> Bool
}

/// The benchmark messages, in report order.
enum BenchMessage: String, CaseIterable {
    case logEntry = "LogEntry"
    case assignJobRequest = "AssignJobRequest"
    case jobResult = "JobResult"
    case blob = "Blob (1 MiB bytes)"
}

enum Operation: String, CaseIterable {
    case encode, decode
}

/// Progress and diagnostics go to standard error; the report goes to standard output.
func log(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

// MARK: - Sinks

/// Opaque to the optimiser: whatever is passed here counts as used.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

nonisolated(unsafe) var globalSink = 0

// MARK: - Timing

func seconds(_ duration: Duration) -> Double {
    let c = duration.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}

/// Wall time of `body(n)`.
func timeRun(_ n: Int, _ body: (Int) throws -> Int) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body(n)
    let elapsed = clock.now - start
    globalSink &+= result
    return seconds(elapsed)
}

/// Finds an iteration count for which `body` takes about `target` seconds. Doubles as
/// the first part of the warm-up.
func calibrate(target: Double, _ body: (Int) throws -> Int) rethrows -> Int {
    var n = 1
    while true {
        let t = try timeRun(n, body)
        if t >= min(0.05, target / 4) || n >= 1 << 40 {
            return max(1, Int(Double(n) * target / max(t, 1e-9)))
        }
        n = t < 0.002 ? n * 10 : n * 2
    }
}

// MARK: - Statistics

struct Summary: Codable {
    var median: Double
    var min: Double
    var max: Double

    init(_ samples: [Double]) {
        let s = samples.sorted()
        precondition(!s.isEmpty)
        median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        min = s.first!
        max = s.last!
    }

    func scaled(_ factor: Double) -> Summary {
        var r = self
        r.median *= factor
        r.min *= factor
        r.max *= factor
        return r
    }
}

/// One implementation's measurement of one (message, operation).
struct ImplResult: Codable {
    var iterationsPerRepetition: Int
    var secondsPerRepetition: [Double]
    var messagesPerSecond: Summary
    /// 10^6 bytes of encoding per second.
    var megabytesPerSecond: Summary
}

struct Row: Codable {
    var message: String
    var operation: String
    var encodedSize: Int
    var hodei: ImplResult
    var swiftProtobuf: ImplResult
    /// hodei / swift-protobuf throughput, one ratio per (interleaved) repetition pair.
    var ratio: Summary
}

struct Options {
    var json = false
    var target = 0.4
    var repetitions = 3
    var filter: String?

    static func parse(_ arguments: [String]) -> Options {
        var o = Options()
        var it = arguments.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--json": o.json = true
            case "--quick": o.target = 0.05
            case "--target": o.target = Double(it.next() ?? "") ?? o.target
            case "--repetitions": o.repetitions = max(1, Int(it.next() ?? "") ?? o.repetitions)
            case "--filter": o.filter = it.next()
            case "-h", "--help":
                print("""
                usage: codec-bench [--json] [--quick] [--target SECONDS] [--repetitions N] [--filter TEXT]
                  Encodes and decodes LogEntry, AssignJobRequest, JobResult and a 1 MiB bytes
                  message with Hodei (JobAPI/ProtoRuntime) and swift-protobuf; prints messages/s,
                  MB/s (10^6 B) and the throughput ratio hodei / swift-protobuf.
                  --target     seconds per measurement (default 0.4); --quick = 0.05
                  --json       print the results as JSON instead of the table
                """)
                exit(0)
            default:
                log("unknown argument \(a) (try --help)")
                exit(2)
            }
        }
        return o
    }
}
