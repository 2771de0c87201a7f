import Foundation
import BrowserUI
import CNCursesW
import Testing
@testable import TerminalBackend

/// ncurses painting into /dev/null: the cells ncurses holds are read back and compared with
/// the grid. One terminal at a time (ncurses keeps global state), hence `.serialized`.
@Suite(.serialized) struct TerminalTests {
    func terminal(_ term: String = "xterm-256color", noColor: Bool = false) throws -> Terminal {
        try Terminal(term: term, output: "/dev/null", input: "/dev/null", environment: noColor ? ["NO_COLOR": "1"] : [:])
    }

    @Test func paintsTextWideCharactersAndStyles() throws {
        let t = try terminal()
        defer { t.stop() }
        #expect(t.colorMode == .colors256)
        var grid = Grid(width: 30, height: 4)
        grid.put("hello 菌糸 🍄!", x: 1, y: 0, style: Style(.link))
        grid.put("bold", x: 0, y: 2, style: Style(.plain, .bold))
        let written = t.paint(grid)
        #expect(written == 30 * 4 - 3)   // every cell once; right halves of wide characters are skipped
        #expect(t.cell(x: 1, y: 0)?.text == "h")
        #expect(t.cell(x: 7, y: 0)?.text == "菌")
        #expect(t.cell(x: 9, y: 0)?.text == "糸")
        #expect(t.cell(x: 12, y: 0)?.text == "🍄")
        #expect(t.cell(x: 14, y: 0)?.text == "!")
        // The link role has its own colour pair; bold shows as the attribute.
        #expect(t.cell(x: 1, y: 0)?.pair == Int16(Role.link.rawValue) + 1)
        #expect(t.cell(x: 0, y: 2).map { $0.attributes & mycel_a_bold() != 0 } == true)
        #expect(t.cell(x: 0, y: 3)?.text == " ")
    }

    @Test func repaintsOnlyWhatChanged() throws {
        let t = try terminal()
        defer { t.stop() }
        var grid = Grid(width: 20, height: 3)
        grid.put("same text", x: 0, y: 0, style: .plain)
        t.paint(grid)
        #expect(t.paint(grid) == 0)
        grid.put("X", x: 5, y: 1, style: .plain)
        #expect(t.paint(grid) == 1)
        #expect(t.cell(x: 5, y: 1)?.text == "X")
        // A new size paints everything again.
        #expect(t.paint(Grid(width: 10, height: 2)) == 20)
        t.invalidate()
        #expect(t.paint(Grid(width: 10, height: 2)) == 20)
    }

    @Test func noColorMeansAttributesOnly() throws {
        let t = try terminal(noColor: true)
        defer { t.stop() }
        #expect(t.colorMode == .monochrome)
        var grid = Grid(width: 10, height: 1)
        grid.put("sel", x: 0, y: 0, style: Style(.selection))
        t.paint(grid)
        let cell = t.cell(x: 0, y: 0)
        #expect(cell?.pair == 0)
        #expect(cell.map { $0.attributes & mycel_a_reverse() != 0 } == true)
    }

    @Test func fewerColoursFoldTheTheme() throws {
        let t8 = try terminal("xterm")
        #expect(t8.colorMode == .colors8)
        t8.stop()
        let mono = try terminal("vt100")
        #expect(mono.colorMode == .monochrome)
        mono.stop()
        let theme = Theme.standard
        #expect(theme.entry(.link, .colors16).foreground == 12)
        #expect(theme.entry(.link, .colors8).foreground == 4)
        #expect(theme.entry(.link, .colors8).attributes & mycel_a_bold() != 0)
    }

    @Test func copyingWritesAnOSC52Sequence() throws {
        #expect(Terminal.base64(Array("hello".utf8)) == "aGVsbG8=")
        #expect(Terminal.base64(Array("hi".utf8)) == "aGk=")
        #expect(Terminal.base64(Array("菌糸".utf8)) == "6I+M57O4")
        let path = "/tmp/mycel-osc52-\(getpid()).out"
        defer { unlink(path) }
        let t = try Terminal(term: "xterm-256color", output: path, input: "/dev/null", environment: [:])
        t.copyToClipboard("network-nations.md")
        t.stop()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\u{1B}]52;c;bmV0d29yay1uYXRpb25zLm1k\u{07}"))
    }

    @Test func anUnknownTerminalIsAClearError() {
        #expect(throws: TerminalError.self) { try terminal("no-such-terminal-type") }
        do {
            _ = try terminal("no-such-terminal-type")
        } catch {
            #expect("\(error)".contains("“no-such-terminal-type” is unknown"))
        }
        #expect(throws: TerminalError.self) { try Terminal(term: "", output: "/dev/null") }
    }

    @Test func aScreenFromTheBrowserPaintsAsDrawn() throws {
        let t = try terminal()
        defer { t.stop() }
        var grid = Grid(width: 24, height: 3)
        grid.put("│ Notes (3) ┌─┐ 名前", x: 0, y: 1, style: Style(.border))
        t.paint(grid)
        var row = ""
        for x in 0..<24 {
            guard let c = t.cell(x: x, y: 1) else { continue }
            if grid[x, 1].width > 0 { row += c.text }
        }
        #expect(row.hasPrefix("│ Notes (3) ┌─┐ 名前"))
    }
}
