import Foundation
import ProtoRuntime
import XCTest

/// Cross-implementation conformance: Hodei's binary and JSON encodings against Python's
/// `protobuf` (PyPI) and protobuf-c (Debian), over a corpus of edge cases that the Python peer
/// writes (Peers/python_peer.py; the cases are in Peers/corpus_*.py).
///
/// Flow, in a temporary directory:
/// 1. `python_peer.py corpus DIR`: NAME.bin / NAME.json etc. for every case (see CorpusCase).
/// 2. Hodei decodes each NAME.bin and NAME.json, checks the values agree with Python's, checks
///    its re-encoding is byte-identical to Python's wherever protobuf fixes the byte order
///    (every case except those with a map of two or more entries, whose order is free), and
///    writes NAME.swift.bin and NAME.swift.json.
/// 3. `python_peer.py c DIR`: builds the protobuf-c peer, which unpacks and repacks NAME.bin
///    into NAME.c.bin and NAME.swift.bin into NAME.swift.c.bin.
/// 4. Hodei decodes NAME.c.bin and NAME.swift.c.bin and compares with NAME.bin's value.
/// 5. `python_peer.py verify DIR`: Python decodes everything Hodei and protobuf-c wrote and
///    compares with NAME.bin's value (bitwise for floats).
///
/// Needs python3 with `protobuf`, protoc, protoc-c, libprotobuf-c and cc: `make deps`
/// (Peers/install-deps.sh). Set HODEI_CONFORMANCE_KEEP=1 to keep the directory.
final class CrossImplementationTests: XCTestCase {
    func testCorpusAgreesWithPythonAndProtobufC() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hodei-conformance-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let peer = PeerRunner()

        let corpus = try peer.run("corpus", directory)
        guard corpus.status == 0 else {
            XCTFail("python_peer.py corpus failed (exit \(corpus.status)); are the peers' dependencies installed "
                + "(`make deps`, Tests/ConformanceTests/Peers/install-deps.sh)?\n\(corpus.text)")
            return
        }
        let cases = try CorpusCase.load(from: directory)
        XCTAssertGreaterThanOrEqual(cases.count, 100, "the corpus shrank: \(corpus.text)")

        var tally = Tally()
        for corpusCase in cases {
            guard let type = MessageRegistry.byName[corpusCase.messageName] else {
                tally.failures.append("\(corpusCase.name): no Swift type registered for \(corpusCase.messageName)")
                continue
            }
            CaseChecks.firstPass(type, corpusCase, &tally)
        }

        let cPeer = try peer.run("c", directory)
        if cPeer.status != 0 {
            XCTFail("the protobuf-c peer failed (exit \(cPeer.status)):\n\(cPeer.text)")
        }
        for corpusCase in cases {
            if let type = MessageRegistry.byName[corpusCase.messageName] {
                CaseChecks.secondPass(type, corpusCase, &tally)
            }
        }

        let verify = try peer.run("verify", directory)

        // The counts, per direction, in the test log.
        print("ConformanceTests: \(cases.count) corpus cases (\(corpus.text.trimmingCharacters(in: .whitespacesAndNewlines)))")
        for direction in Direction.allCases {
            print("ConformanceTests: [\(direction.rawValue)] \(tally.passes[direction, default: 0]) cases ok")
        }
        for line in (cPeer.text + verify.text).split(separator: "\n")
        where line.hasPrefix("c_peer:") || line.hasPrefix("python_peer verify:") {
            print("ConformanceTests: \(line)")
        }
        let hodeiChecks = tally.passes.values.reduce(0, +)
        print("ConformanceTests: Swift-side checks ok=\(hodeiChecks) failed=\(tally.failures.count)")

        for failure in tally.failures.prefix(80) {
            XCTFail(failure)
        }
        if tally.failures.count > 80 {
            XCTFail("… and \(tally.failures.count - 80) more Swift-side failures")
        }
        if verify.status != 0 {
            XCTFail("python_peer.py verify: Python or protobuf-c disagrees with Hodei (exit \(verify.status)):\n\(verify.text)")
        }

        let failed = !tally.failures.isEmpty || verify.status != 0 || cPeer.status != 0
        if failed || ProcessInfo.processInfo.environment["HODEI_CONFORMANCE_KEEP"] != nil {
            print("ConformanceTests: corpus and outputs kept in \(directory.path)")
        } else {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
