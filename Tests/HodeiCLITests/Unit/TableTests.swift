@testable import HodeiCLI
import XCTest

final class TableTests: XCTestCase {
    private func sample() -> Table {
        var table = Table([.init(title: "NAME"), .init(title: "N", alignment: .right), .init(title: "NOTE")])
        table.append(["alpha", "7", "first"])
        table.append(["b", "1234", ""])
        return table
    }

    func testColumnsArePaddedAndAlignedWithoutTrailingSpaces() {
        XCTAssertEqual(sample().render(), """
            NAME       N   NOTE
            alpha      7   first
            b       1234

            """)
    }

    func testTheLastColumnIsCutToTheMaximumWidth() {
        var table = Table([.init(title: "ID"), .init(title: "COMMAND")])
        table.append(["j-1", "python3 train.py --epochs 100 --learning-rate 0.001"])
        let lines = table.render(maxWidth: 30).split(separator: "\n")
        XCTAssertEqual(lines[1], "j-1   python3 train.py --epoc…")
        XCTAssertEqual(lines[1].count, 30)
        XCTAssertEqual(lines[0], "ID    COMMAND")
    }

    func testTheLastColumnKeepsAMinimumWidth() {
        var table = Table([.init(title: "A"), .init(title: "B")])
        table.append([String(repeating: "x", count: 40), "0123456789abcdef"])
        XCTAssertEqual(table.render(maxWidth: 20).split(separator: "\n")[1], String(repeating: "x", count: 40) + "   012345678…")
    }

    func testControlCharactersCannotBreakTheLayout() {
        var table = Table([.init(title: "NAME"), .init(title: "X")])
        table.append(["a\tb\nc", "\u{1B}[31m"])
        XCTAssertEqual(table.render(), "NAME    X\na b c    [31m\n")
    }

    func testMissingCellsAreEmptyAndExtraCellsIgnored() {
        var table = Table([.init(title: "A"), .init(title: "B")])
        table.append(["1"])
        table.append(["2", "3", "4"])
        XCTAssertEqual(table.render(), "A   B\n1\n2   3\n")
    }

    func testCut() {
        XCTAssertEqual(Table.cut("hello", to: 5), "hello")
        XCTAssertEqual(Table.cut("hello", to: 4), "hel…")
        XCTAssertEqual(Table.cut("hello", to: 1), "h")
    }
}
