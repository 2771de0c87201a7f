import Testing
@testable import BrowserUI
@testable import VaultKit

/// Regressions for inputs that once crashed or misbehaved (found in review).
@Suite struct HostileInputTests {
    @Test func placeholdersWrittenInANoteAreJustText() {
        // cmark decodes entities after mycel replaced raw private-use characters.
        let v = vault(["a.md": "x &#xE000;L-1&#xE001; and &#xE000;T99&#xE001;\n\n&#xE000;L99&#xE001;\n\n[[b]]", "b.md": "b"])
        let doc = Renderer(vault: v).render(note: v.index("a.md"))
        #expect(doc.anchors == [.link(LinkRef(note: v.index("a.md"), link: 0))])
        #expect(doc.layout(width: 40).rows.count > 3)
    }

    @Test func contextOfALinkPastTheEndOfItsLine() {
        #expect(AppState.context("short line", column: 200) == "…line")
        let v = vault([
            "a.md": "---\nsummary: >\n  a fairly long first line of folded text here\n  then [[b]]\n---\nbody",
            "b.md": "target",
        ])
        var s = AppState(vault: v, width: 120, height: 30)
        s.open(v.index("b.md"))
        #expect(s.right.rows.contains { $0.target != .none && $0.lines.count == 2 })
    }

    @Test("text cut at its edge ends in …: ASCII, wide characters on either side of the edge, text that just fits, a start left of the grid")
    func cutTextEndsInAnEllipsis() {
        // The row as text (trailing spaces dropped) and the column after the last cell drawn.
        func drawn(_ text: String, x: Int = 0, maxX: Int = 6, ellipsis: Bool = true) -> (String, Int) {
            var g = Grid(width: 8, height: 1)
            let end = g.put(text, x: x, y: 0, style: .plain, maxX: maxX, ellipsis: ellipsis)
            return (g.row(0), end)
        }
        #expect(drawn("mycelium") == ("mycel…", 6))
        #expect(drawn("mycel") == ("mycel", 5))
        #expect(drawn("myceli") == ("myceli", 6))      // exactly fits: nothing cut
        #expect(drawn("mycelium", ellipsis: false) == ("myceli", 6))
        #expect(drawn("菌糸菌糸") == ("菌糸…", 5))     // the third would cross into the last column
        #expect(drawn("a菌糸菌") == ("a菌糸…", 6))
        #expect(drawn("菌糸菌") == ("菌糸菌", 6))
        #expect(drawn("abcdefghi", x: -2) == ("cdefg…", 6))
        #expect(drawn("abcdefgh", x: -2) == ("cdefgh", 6))
        #expect(drawn("abc", x: 6) == ("", 6))
    }

    @Test("on a narrow screen the status line keeps the position and cuts the path with …; a message still takes the line")
    func narrowStatusLine() {
        var s = browser(50, 10)
        s.open(s.vault.index("projects/mycel/design/parser-edge-cases.md"))
        let status = s.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.hasPrefix(" projects/mycel/design/p… "), "\(status)")
        #expect(status.contains("? help"))
        s.say("a message long enough to need the whole width of the line here")
        let message = s.screen.split(separator: "\n").last.map(String.init) ?? ""
        #expect(message.contains("a message long enough to need the whole width"), "\(message)")
    }

    @Test func drawingOutsideTheGridIsIgnored() {
        var g = Grid(width: 5, height: 2)
        g.restyle(x: 50, y: 0, width: -3) { $0.role = .match }
        g.restyle(x: 2, y: 0, width: -1) { $0.role = .match }
        g.fill(x: 0, y: 0, width: -1, height: 1, style: .plain)
        g.fill(x: 9, y: 9, width: 3, height: 3, style: .plain)
        #expect(g.text == "     \n     \n")
    }

    @Test func findInAWideTableAtANarrowWidth() {
        let header = (0..<15).map { "c\($0)" }.joined(separator: " | ")
        let row = (0..<15).map { "o\($0)" }.joined(separator: " | ")
        let v = vault(["t.md": "| \(header) |\n|" + String(repeating: "---|", count: 15) + "\n| \(row) |"])
        var s = AppState(vault: v, width: 30, height: 10)
        s.open(0)
        s.press(.char("/"))
        s.type("o1")
        s.press(.enter)
        #expect(!s.screen.isEmpty)
    }

    @Test func deeplyNestedQuotesRenderFlatPastALimit() {
        let v = vault(["q.md": String(repeating: ">", count: 5000) + " deep"])
        let lines = rendered(v, "q.md", width: 200)
        #expect(lines.contains { $0.hasSuffix("deep") })
    }

    @Test func findStepsThroughMatchesNearTheEnd() {
        var text = ""
        for i in 1...100 { text += (i == 90 || i == 95 ? "needle \(i)" : "line \(i)") + "\n\n" }
        let v = vault(["n.md": text])
        var s = AppState(vault: v, width: 60, height: 21)
        s.open(0)
        s.press(.char("/"))
        s.type("needle")
        s.press(.enter)
        var seen: [Int] = []
        for _ in 0..<4 {
            seen.append(s.findRow ?? -1)
            s.press(.char("n"))
        }
        #expect(Set(seen).count == 2)   // both matches visited, then around again
        #expect(seen[0] != seen[1] && seen[0] == seen[2])
        s.press(.char("N"))
        #expect(s.findRow == seen[1])
    }

    @Test func aSourceLineInsideAParagraphMapsToTheParagraph() {
        let v = vault(["p.md": "first line\nsecond line ^blk\n\nnext paragraph"])
        let doc = Renderer(vault: v).render(note: 0)
        let at = doc.lineIndex(forSource: 2)
        #expect(at.map { doc.lines[$0].spans.map(\.text).joined() }?.contains("second line") == true)
    }

    @Test func openingASearchResultKeepsTheSearchedText() {
        var s = browser(120, 40)
        s.press(.char("S"))
        s.type("mycorrhiza")
        s.press(.enter, .enter)
        #expect(s.findQuery == "mycorrhiza")
        #expect(!s.findHits().isEmpty)
    }

    @Test func theWheelScrollsTheSidePane() {
        var s = browser(120, 20)
        s.open(s.vault.index("concepts/commons.md"))
        let right = s.frames.right!
        let before = s.right.selected
        for _ in 0..<4 { _ = s.update(.mouse(MouseEvent(.wheelDown, x: right.x + 2, y: right.y + 3))) }
        #expect(s.right.selected != before)
        #expect(s.right.top > 0)
    }

    @Test("a cell too wide for its column wraps within it: nothing cut, words whole while they fit, columns aligned")
    func wideTableCellsWrap() {
        let v = vault(["t.md": "| h | n |\n|---|--:|\n| ab字c and more text that cannot fit | 7 |\n| 菌糸ネットワーク | 12 |"])
        let lines = rendered(v, "t.md", width: 16)
        let table = lines.filter { $0.hasPrefix("│") }
        #expect(table.first == "│ h       │  n │")
        #expect(table.contains("│ ab字c   │  7 │"))
        #expect(table.contains("│ cannot  │    │"))
        #expect(table.contains("│ 菌糸ネ  │ 12 │"))
        // Every row as wide as the borders, and every character of the cells still there.
        #expect(Set(lines.filter { $0.hasPrefix("│") || $0.hasPrefix("┌") }.map { DisplayWidth.of($0) }).count == 1)
        let cells = table.dropFirst().map { $0.split(separator: "│")[0].filter { $0 != " " } }.joined()
        #expect(cells == "ab字candmoretextthatcannotfit菌糸ネットワーク")
    }

    @Test func emojiWidthsFollowWcwidth() {
        #expect(DisplayWidth.of("🍄" as Character) == 2)
        #expect(DisplayWidth.of("❤️" as Character) == 1)   // U+2764 U+FE0F: narrow for ncurses
        #expect(DisplayWidth.of("🇯🇵" as Character) == 2)   // two regional indicators
        #expect(DisplayWidth.of("é" as Character) == 1)
        #expect(DisplayWidth.of("名前") == 4)
    }

    // Found by fuzzing (Tests/Fuzz/regressions/del-in-table-cell).
    @Test func controlCharactersInTableCellsAreShownAsSymbols() {
        let v = vault(["t.md": "| a | b |\n|---|---|\n| x\u{7F}y | \u{1B}]0;t\u{7} |"])
        let lines = rendered(v, "t.md", width: 40)
        #expect(!lines.joined().unicodeScalars.contains { $0.isTerminalControl })
        #expect(lines.contains { $0.contains("x\u{FFFD}y") && $0.contains("␛]0;t␇") })
    }

    // Found by fuzzing (Tests/Fuzz/regressions/deep-prefix-narrow-width): 48 levels of quote
    // at 20 columns made a row per character, the text pushed off screen by the bars.
    @Test func deepQuotesKeepRoomForTheText() {
        let v = vault(["q.md": String(repeating: ">", count: 60) + " the words inside the deepest quote"])
        let lines = rendered(v, "q.md", width: 20)
        #expect(lines.count < 8)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 20 })
        #expect(lines.filter { $0.hasPrefix("… │") }.count == 4, "\(lines)")
        #expect(lines.joined(separator: " ").contains("words"))
    }

    // Found with the hostile vault: a note with 300,000 backlinks took minutes to open, every
    // row built and every context line read from the top of its note (`lineTexts` has its
    // own test in VaultKit).
    @Test func theSidePaneListsTheFirstBacklinksAndSaysHowManyMore() {
        let many = (0..<2_500).map { "line \($0) [[top]]" }.joined(separator: "\n")
        let long = "[[top]] " + String(repeating: "word ", count: 5_000)
        let unbroken = String(repeating: "x", count: 20_000) + " [[top]] " + String(repeating: "y", count: 20_000)
        let v = vault(["many.md": many, "top.md": "the target", "long.md": long, "a-unbroken.md": unbroken])
        var s = AppState(vault: v, width: 120, height: 30)
        s.open(v.index("top.md"))
        let texts = s.right.rows.map { $0.lines.map { $0.map(\.text).joined() }.joined(separator: " ") }
        #expect(texts.contains { $0.contains("Backlinks (2502)") })
        #expect(texts.contains { $0.contains("… 502 more (mycel backlinks lists them all)") })
        // The unbroken and the long notes' links come first (note order), then 1,998 lines.
        #expect(texts.filter { $0.contains("line 1997 top") }.count == 1)
        #expect(!texts.contains { $0.contains("line 1998 top") })
        #expect(texts.allSatisfy { $0.unicodeScalars.count < AppState.contextLimit + 50 })
        // A long line is cut after the most a context shows; in a line without spaces the
        // context still starts just before the link, so the link shows.
        let longContext = AppState.context(long, column: 1)
        #expect(longContext.hasSuffix("…") && longContext.hasPrefix("top word"))
        #expect((AppState.contextLimit - 10...AppState.contextLimit + 1).contains(longContext.unicodeScalars.count))
        let unbrokenContext = AppState.context(unbroken, column: 20_002)
        #expect(unbrokenContext.hasPrefix("…") && unbrokenContext.contains(" top "), "\(unbrokenContext.prefix(80))")
    }

    // Found reading the manual against the program: a line opening with a comment hid the
    // text after `-->`, although the graph counts the links there.
    @Test func textAfterALeadingCommentIsShown() {
        let v = vault(["c.md": "<!-- a note to self --> but this [[other]] shows\n\n<!-- only a comment -->\n\nend", "other.md": "o"])
        let lines = rendered(v, "c.md", width: 60)
        #expect(lines.contains { $0.contains("but this other shows") }, "\(lines)")
        #expect(!lines.joined().contains("note to self"))
        #expect(!lines.joined().contains("only a comment"))
        #expect(v.notes[v.index("c.md")].links.count == 1)
    }

    @Test("text after a leading comment is Markdown like any paragraph: emphasis, code, links and tags")
    func markdownAfterALeadingComment() {
        let v = vault(["c.md": "<!-- todo --> some **bold**, `code` and [[other|a link]] #tag", "other.md": "o"])
        let doc = Renderer(vault: v).render(note: v.index("c.md"))
        let spans = doc.lines.flatMap(\.spans)
        let text = spans.map(\.text).joined()
        #expect(text.contains("some bold, code and a link tag") || text.contains("some bold, code and a link #tag"), "\(text)")
        #expect(!text.contains("**") && !text.contains("`") && !text.contains("todo"))
        #expect(spans.contains { $0.text == "bold" && $0.style.flags.contains(.bold) })
        #expect(spans.contains { $0.text == "code" && $0.style.role == .code })
        #expect(spans.contains { $0.text == "a link" && $0.anchor != nil })
    }
}
