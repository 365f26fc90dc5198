import Foundation
import ProtoRuntime

/// What one check establishes; the test prints how many cases passed each.
enum Direction: String, CaseIterable {
    case pythonBinary = "Python binary -> Hodei decode"
    case bytesMatchPython = "Hodei re-encoding byte-identical to Python's"
    case binaryRoundTrip = "Hodei re-encoding decodes to the same value (maps: entry order is free)"
    case pythonJSON = "Python JSON -> Hodei"
    case pythonAltJSON = "Python JSON with proto field names and enum numbers -> Hodei"
    case hodeiJSONRoundTrip = "Hodei JSON -> Hodei"
    case pythonThroughC = "Python -> protobuf-c -> Hodei"
    case hodeiThroughC = "Hodei -> protobuf-c -> Hodei"
}

/// Passes per direction, and a message per failed check.
struct Tally {
    var passes: [Direction: Int] = [:]
    var failures: [String] = []

    mutating func pass(_ direction: Direction) {
        passes[direction, default: 0] += 1
    }

    mutating func fail(_ direction: Direction, _ corpusCase: CorpusCase, _ detail: String) {
        failures.append("[\(direction.rawValue)] \(corpusCase.name) (\(corpusCase.messageName)): \(detail)\n  case: \(corpusCase.note)")
    }
}

/// The Swift side of the cross-implementation checks, generic over the generated type.
enum CaseChecks {
    /// Equal values. `==` is false for NaN, so fall back to the encodings, which compare floats
    /// bit for bit (NaN = NaN, -0.0 != 0.0). Callers use this only where encoding is
    /// deterministic or `==` suffices (no NaN in a map of several entries).
    static func same<M: ProtoMessage>(_ a: M, _ b: M) -> Bool {
        a == b || a.serializedBytes() == b.serializedBytes()
    }

    static func describe<M: ProtoMessage>(_ message: M) -> String {
        let text = String(describing: message)
        return text.count > 1500 ? String(text.prefix(1500)) + " … (\(text.count) characters)" : text
    }

    static func mismatch<M: ProtoMessage>(expected: M, got: M) -> String {
        "values differ\n    expected: \(describe(expected))\n    got:      \(describe(got))"
    }

    /// Before the C peer runs: decode Python's bytes and JSON, re-encode both ways, and leave
    /// NAME.swift.bin and NAME.swift.json for protobuf-c and Python to read.
    static func firstPass<M: ProtoMessage>(_ type: M.Type, _ corpusCase: CorpusCase, _ tally: inout Tally) {
        let input: [UInt8]
        let message: M
        do {
            input = try corpusCase.bytes(".bin")
        } catch {
            tally.fail(.pythonBinary, corpusCase, "cannot read \(corpusCase.name).bin: \(error)")
            return
        }
        do {
            message = try M(serializedBytes: input)
            tally.pass(.pythonBinary)
        } catch {
            tally.fail(.pythonBinary, corpusCase, "decoding threw \(error)\n    bytes: \(Hex.dump(input))")
            return
        }

        let encoded = message.serializedBytes()
        do {
            try corpusCase.write(encoded, ".swift.bin")
        } catch {
            tally.fail(.binaryRoundTrip, corpusCase, "cannot write \(corpusCase.name).swift.bin: \(error)")
        }
        if corpusCase.exists(".expected.bin"), let expected = try? corpusCase.bytes(".expected.bin") {
            if encoded == expected {
                tally.pass(.bytesMatchPython)
            } else {
                tally.fail(.bytesMatchPython, corpusCase, "re-encoding differs from Python's\n  "
                    + Hex.difference(expected: expected, got: encoded) + "\n    input: \(Hex.dump(input))")
            }
        } else {
            // Several map entries: protobuf leaves their order free, so compare values.
            do {
                let again = try M(serializedBytes: encoded)
                if same(again, message) {
                    tally.pass(.binaryRoundTrip)
                } else {
                    tally.fail(.binaryRoundTrip, corpusCase, mismatch(expected: message, got: again))
                }
            } catch {
                tally.fail(.binaryRoundTrip, corpusCase, "decoding Hodei's own encoding threw \(error)")
            }
        }

        // What the JSON means: Python's binary encoding of its own parse of NAME.json (the
        // message without unknown fields, which JSON cannot carry).
        let jsonValue: M
        do {
            jsonValue = try M(serializedBytes: try corpusCase.bytes(".json.bin"))
        } catch {
            tally.fail(.pythonJSON, corpusCase, "decoding \(corpusCase.name).json.bin threw \(error)")
            return
        }
        checkJSON(corpusCase, ".json", expected: jsonValue, .pythonJSON, &tally)
        if corpusCase.exists(".alt.json") {
            checkJSON(corpusCase, ".alt.json", expected: jsonValue, .pythonAltJSON, &tally)
        }
        do {
            let json = try JSONEncoder().encode(message)
            try corpusCase.write(json, ".swift.json")
            checkJSON(corpusCase, ".swift.json", expected: jsonValue, .hodeiJSONRoundTrip, &tally)
        } catch {
            tally.fail(.hodeiJSONRoundTrip, corpusCase, "JSONEncoder threw \(error)")
        }
    }

    static func checkJSON<M: ProtoMessage>(
        _ corpusCase: CorpusCase, _ suffix: String, expected: M, _ direction: Direction, _ tally: inout Tally
    ) {
        guard let json = try? corpusCase.data(suffix) else {
            tally.fail(direction, corpusCase, "cannot read \(corpusCase.name)\(suffix)")
            return
        }
        do {
            let decoded = try JSONDecoder().decode(M.self, from: json)
            if same(decoded, expected) {
                tally.pass(direction)
            } else {
                tally.fail(direction, corpusCase, mismatch(expected: expected, got: decoded) + "\n    JSON: \(Hex.text(json))")
            }
        } catch {
            tally.fail(direction, corpusCase, "JSONDecoder threw \(error)\n    JSON: \(Hex.text(json))")
        }
    }

    /// After the C peer ran: what protobuf-c wrote, from Python's bytes and from Hodei's, must
    /// decode to the value of Python's bytes.
    static func secondPass<M: ProtoMessage>(_ type: M.Type, _ corpusCase: CorpusCase, _ tally: inout Tally) {
        guard let input = try? corpusCase.bytes(".bin"), let message = try? M(serializedBytes: input) else {
            return  // already reported by the first pass
        }
        if corpusCase.checksPythonThroughC {
            checkBinary(corpusCase, ".c.bin", expected: message, .pythonThroughC, &tally)
        }
        if corpusCase.checksHodeiThroughC, corpusCase.exists(".swift.bin") {
            checkBinary(corpusCase, ".swift.c.bin", expected: message, .hodeiThroughC, &tally)
        }
    }

    static func checkBinary<M: ProtoMessage>(
        _ corpusCase: CorpusCase, _ suffix: String, expected: M, _ direction: Direction, _ tally: inout Tally
    ) {
        guard let bytes = try? corpusCase.bytes(suffix) else {
            tally.fail(direction, corpusCase, "\(corpusCase.name)\(suffix) was not written")
            return
        }
        do {
            let decoded = try M(serializedBytes: bytes)
            if same(decoded, expected) {
                tally.pass(direction)
            } else {
                tally.fail(direction, corpusCase, mismatch(expected: expected, got: decoded) + "\n    bytes: \(Hex.dump(bytes))")
            }
        } catch {
            tally.fail(direction, corpusCase, "decoding threw \(error)\n    bytes: \(Hex.dump(bytes))")
        }
    }
}
