import Foundation
import JobAPI

/// Reads the progress lines a job writes to the file descriptor named by `HODEI_PROGRESS_FD`
/// (always 3). Each line is one report, in either form:
///
/// - a bare percentage, optionally with a `%` sign and followed by a message:
///   `40`, `40.5 extracting pages`, `75% almost there`;
/// - a JSON object in the proto3 JSON form of `hodei.v1.Progress`:
///   `{"percent":40,"message":"step 2","currentStep":"build","totalSteps":5,"completedSteps":2}`
///   (snake_case names are accepted too; `estimatedRemaining` is a duration string like "30s").
///
/// Percentages are clamped to 0...100. Lines that are neither form are ignored.
enum ProgressParser {
    /// The longest progress line accepted; longer ones are dropped whole.
    static let maxLineBytes = 64 * 1024

    static func parse(_ line: [UInt8]) -> Hodei_V1_Progress? {
        let trimmed = trim(line[...])
        guard let first = trimmed.first else { return nil }
        var progress: Hodei_V1_Progress
        if first == UInt8(ascii: "{") {
            guard let decoded = try? JSONDecoder().decode(Hodei_V1_Progress.self, from: Data(trimmed)) else { return nil }
            progress = decoded
        } else {
            let numberEnd = trimmed.firstIndex(where: isSpace) ?? trimmed.endIndex
            var number = trimmed[trimmed.startIndex..<numberEnd]
            if number.last == UInt8(ascii: "%") { number = number.dropLast() }
            guard number.allSatisfy(isNumberCharacter),
                  let percent = Double(String(decoding: number, as: UTF8.self)), percent.isFinite else { return nil }
            progress = Hodei_V1_Progress()
            progress.percent = percent
            progress.message = String(decoding: trim(trimmed[numberEnd...]), as: UTF8.self)
        }
        progress.percent = progress.percent.isFinite ? min(100, max(0, progress.percent)) : 0
        return progress
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    private static func isNumberCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }
}
