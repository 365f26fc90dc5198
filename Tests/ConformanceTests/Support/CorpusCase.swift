import Foundation

/// One case of the corpus that `python_peer.py corpus DIR` writes: a line of DIR/cases.tsv
/// (name, full message name, flags, note) and the files named after it.
struct CorpusCase {
    var name: String
    var messageName: String
    var flags: Set<String>
    var note: String
    var directory: URL

    /// Flags naming protobuf-c 1.4 limitations (set by the corpus in corpus_scalars.py). They
    /// excuse protobuf-c, never Hodei: the Hodei checks of such a case still run.
    static let cNotRun = "no-c"  // unknown groups: protobuf-c cannot parse wire types 3 and 4
    static let cNegativeZero = "c-drops-negative-zero"
    static let cNul = "c-truncates-at-nul"
    static let cShallowMerge = "c-shallow-merge"

    /// protobuf-c read Python's bytes (NAME.c.bin) and the result is meaningful.
    var checksPythonThroughC: Bool {
        flags.isDisjoint(with: [Self.cNotRun, Self.cNegativeZero, Self.cNul, Self.cShallowMerge])
    }

    /// protobuf-c read Hodei's bytes (NAME.swift.c.bin) and the result is meaningful. Hodei
    /// writes a merged message once, so the shallow-merge limitation does not apply.
    var checksHodeiThroughC: Bool {
        flags.isDisjoint(with: [Self.cNotRun, Self.cNegativeZero, Self.cNul])
    }

    func url(_ suffix: String) -> URL {
        directory.appendingPathComponent(name + suffix)
    }

    func exists(_ suffix: String) -> Bool {
        FileManager.default.fileExists(atPath: url(suffix).path)
    }

    func bytes(_ suffix: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(suffix)))
    }

    func data(_ suffix: String) throws -> Data {
        try Data(contentsOf: url(suffix))
    }

    func write(_ bytes: [UInt8], _ suffix: String) throws {
        try Data(bytes).write(to: url(suffix))
    }

    func write(_ data: Data, _ suffix: String) throws {
        try data.write(to: url(suffix))
    }

    static func load(from directory: URL) throws -> [CorpusCase] {
        let text = try String(contentsOf: directory.appendingPathComponent("cases.tsv"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { return nil }
            let flags = parts[2] == "-" ? [] : Set(parts[2].split(separator: ",").map(String.init))
            return CorpusCase(name: parts[0], messageName: parts[1], flags: flags, note: parts[3], directory: directory)
        }
    }
}

/// Short, readable renderings of bytes for failure messages.
enum Hex {
    static func dump(_ bytes: [UInt8], limit: Int = 96) -> String {
        let shown = bytes.prefix(limit).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        return bytes.count > limit ? "\(shown) … (\(bytes.count) bytes)" : "\(shown) (\(bytes.count) bytes)"
    }

    /// Where two encodings first differ, with both shown from a little before that point.
    static func difference(expected: [UInt8], got: [UInt8]) -> String {
        let common = zip(expected, got).prefix { $0 == $1 }.count
        let start = max(0, common - 8)
        return "first difference at byte \(common)\n"
            + "    expected[\(start)...]: \(dump(Array(expected.dropFirst(start)), limit: 48))\n"
            + "    got     [\(start)...]: \(dump(Array(got.dropFirst(start)), limit: 48))"
    }

    static func text(_ data: Data, limit: Int = 1500) -> String {
        let string = String(decoding: data.prefix(limit), as: UTF8.self)
        return data.count > limit ? string + " … (\(data.count) bytes)" : string
    }
}
