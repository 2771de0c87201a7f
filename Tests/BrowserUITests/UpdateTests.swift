import Testing
@testable import BrowserUI
@testable import VaultKit

@Suite struct NavigationTests {
    @Test func startsOnTheStartPage() {
        let s = browser(120, 40)
        #expect(s.openPath == "start-here.md")
        #expect(s.focus == .note)
        #expect(s.back.isEmpty && s.forward.isEmpty)
    }

    @Test func tabSelectsLinksInReadingOrderAndEnterFollows() {
        var s = browser(120, 40)
        s.press(.tab)
        #expect(s.selectedLinkText == "network-nations")   // the `related` property comes first
        s.press(.tab)
        #expect(s.selectedLinkText == "commons")
        s.press(.tab, .tab)
        #expect(s.selectedLinkText == "cosmolocalism")
        s.press(.backTab)
        #expect(s.selectedLinkText == "network-nations")
        s.press(.enter)
        #expect(s.openPath == "network-nations.md")
        #expect(s.back.count == 1)
        s.press(.backspace)
        #expect(s.openPath == "start-here.md")
        #expect(s.forward.count == 1)
        s.press(.char("L"))
        #expect(s.openPath == "network-nations.md")
        s.press(.char("H"))
        #expect(s.openPath == "start-here.md")
    }

    @Test func historyKeepsTheScrollPosition() {
        var s = browser(80, 24)
        s.press(.char("j"), .char("j"), .char("j"))
        let top = s.view?.top
        s.press(.ctrl("p"))
        s.type("commons")
        s.press(.enter)
        #expect(s.openPath == "concepts/commons.md")
        s.press(.backspace)
        #expect(s.view?.top == top)
    }

    @Test func followingANewLinkClearsForwardHistory() {
        var s = browser(120, 40)
        s.press(.tab, .enter, .backspace)
        #expect(s.forward.count == 1)
        s.press(.tab, .tab, .enter)
        #expect(s.forward.isEmpty)
        #expect(s.back.count == 1)
    }

    @Test func unresolvedLinksSaySoAndStay() {
        var s = browser(120, 40)
        let ghostNote = s.vault.index("concepts/stigmergy.md")
        let link = s.vault.notes[ghostNote].links.firstIndex { !$0.isResolved && $0.aliasOf == nil }!
        s.open(ghostNote)
        s.follow(LinkRef(note: ghostNote, link: link))
        #expect(s.openPath == "concepts/stigmergy.md")
        #expect(s.message?.contains("does not exist yet") == true)
    }

    @Test func aliasOnlyLinksOpenTheNoteOfTheAlias() {
        var s = browser(120, 40)
        let from = s.vault.index("writing/exit-without-exile.md")
        let link = s.vault.notes[from].links.firstIndex { $0.aliasOf != nil }!
        s.open(from)
        s.follow(LinkRef(note: from, link: link))
        #expect(s.openPath == "network-nations.md")
        #expect(s.message?.contains("alias") == true)
    }

    @Test func headingLinksScrollToTheHeading() {
        var s = browser(80, 24)
        let citizen = s.vault.index("writing/citizen.md")
        let link = s.vault.notes[citizen].links.firstIndex { $0.path == "self-sovereign-identity" && !$0.subpath.isEmpty }!
        s.open(citizen)
        s.follow(LinkRef(note: citizen, link: link))
        #expect(s.openPath == "concepts/self-sovereign-identity.md")
        let v = s.view!
        #expect(v.page.rows[v.top].text.contains("Wallets and Credentials"))
        // The target is marked in the margin until the next key.
        #expect(s.markedRow == v.top)
        let c = s.frames.centre!
        #expect(View.draw(s)[c.x, c.y].text == "▶")
        s.press(.char("j"))
        #expect(s.markedRow == nil)
    }

    @Test func scrollingKeysMoveAndClamp() {
        var s = browser(80, 12)
        s.press(.char("G"))
        let bottom = s.view!.top
        #expect(bottom == s.view!.page.rows.count - s.noteHeight)
        s.press(.char("j"))
        #expect(s.view!.top == bottom)
        s.press(.char("g"))
        #expect(s.view!.top == 0)
        s.press(.ctrl("d"))
        #expect(s.view!.top == s.noteHeight / 2)
        s.press(.pageDown)
        #expect(s.view!.top == min(bottom, s.noteHeight / 2 + s.noteHeight - 2))
        s.press(.char("k"), .up, .ctrl("u"), .pageUp)
        #expect(s.view!.top == 0)
    }

    @Test func quickSwitcherFindsByAliasAndOpens() {
        var s = browser(120, 40)
        s.press(.char("o"))
        #expect(s.overlay == .switcher)
        s.type("network states")
        let first = s.switcher.result?.matches.first
        #expect(first.map { s.vault.notes[$0.note].path } == "network-nations.md")
        #expect(first?.field == .alias)
        #expect(first?.text == "network states")
        #expect(s.screen.contains("Network Nations  ← alias “network states”"))
        s.press(.enter)
        #expect(s.overlay == .none)
        #expect(s.openPath == "network-nations.md")
    }

    @Test func switcherEditsAndEscapes() {
        var s = browser(120, 40)
        s.press(.ctrl("p"))
        s.type("netnat")
        #expect(s.switcher.result?.matches.first.map { s.vault.notes[$0.note].path } == "network-nations.md")
        s.press(.backspace, .backspace, .backspace)
        #expect(s.switcher.query == "net")
        s.press(.down)
        #expect(s.switcher.selected == 1)
        s.press(.escape)
        #expect(s.overlay == .none)
        #expect(s.openPath == "start-here.md")
    }

    @Test func aLongQueryKeepsItsEndAndTheCursorInView() {
        var s = browser(60, 20)
        s.press(.ctrl("p"))
        let query = String(repeating: "abcdefghij ", count: 9) + "菌糸 endmark"
        s.type(query)
        #expect(s.switcher.query == query)
        let line = s.screen.split(separator: "\n").map(String.init).first { $0.contains("> ") } ?? ""
        #expect(line.contains("菌糸 endmark▏"), "\(line)")
        #expect(!line.contains("> abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij"))
        // The search line of the whole vault does the same.
        s.press(.escape, .char("S"))
        s.type(query)
        #expect(s.screen.contains("菌糸 endmark▏"))
    }

    @Test func theSwitcherExplainsSmartCase() {
        var s = browser(120, 40)
        s.press(.char("o"))
        s.type("Start-here")
        #expect(s.switcher.result?.matches.isEmpty == true)
        #expect(s.screen.contains("a capital letter makes the search match case"))
    }

    @Test func reopeningTheOpenNoteAddsNoHistory() {
        var s = browser(120, 40)
        s.press(.char("o"))
        s.type("start here")
        s.press(.enter)
        #expect(s.back.isEmpty)
    }

    @Test func tabSaysWhereTheLinkGoes() {
        var s = browser(120, 40)
        s.press(.tab)
        #expect(s.message == "→ network-nations.md")
        #expect(s.screen.contains("→ network-nations.md"))
    }

    @Test func helpScrollsToTheEndAndSaysThereIsMore() {
        var s = browser(80, 24)
        s.press(.char("?"))
        #expect(s.screen.contains("↓ more"))
        s.press(.char("G"))
        #expect(s.screen.contains("quit"))
        #expect(!s.screen.contains("↓ more"))
        #expect(s.screen.contains("↑ more"))
    }

    @Test func fromATagsNotesBackToTheTree() {
        var s = browser(120, 40)
        s.press(.char("t"))
        let governance = s.left.rows.firstIndex { $0.target == .tag("governance") }!
        while s.left.selected != governance { s.press(.char("j")) }
        s.press(.enter)
        #expect(s.leftMode == .results)
        s.press(.char("h"))
        #expect(s.leftMode == .tags)
        #expect(s.left.selected.map { s.left.rows[$0].target } == .tag("governance"))
        s.press(.escape, .char("t"))
        #expect(s.left.selected.map { s.left.rows[$0].target } == .tag("governance"))
    }

    @Test func searchSnippetsShowTheHit() {
        var s = browser(80, 24)
        s.press(.char("S"))
        s.type("mutual aid")
        s.press(.enter)
        let snippets = s.left.rows.compactMap { $0.lines.count > 1 ? $0.lines[1].map(\.text).joined() : nil }
        #expect(!snippets.isEmpty)
        for snippet in snippets { #expect(snippet.lowercased().contains("mutual aid"), "\(snippet)") }
    }

    @Test func aBurstOfKeysRunsOneSearch() {
        var s = browser(120, 40)
        s.press(.char("o"))
        for c in "netnat" { _ = s.update(.key(.char(c))) }
        #expect(s.switcher.result?.query == "")   // nothing searched while keys keep coming
        s.settle()
        #expect(s.switcher.result?.query == "netnat")
        #expect(s.switcher.result?.matches.first.map { s.vault.notes[$0.note].path } == "network-nations.md")
    }

    @Test func tagTreeExpandsAndListsNotes() {
        var s = browser(120, 40)
        s.press(.char("t"))
        #expect(s.focus == .left && s.leftMode == .tags)
        let rows = s.left.rows.map { $0.lines[0].map(\.text).joined() }
        #expect(rows.contains { $0.contains("#governance") })
        // Walk to a tag with children and open its branch.
        let parent = s.left.rows.firstIndex { row in
            if case let .tag(p) = row.target { return s.vault.tagTree.find(p)?.children.isEmpty == false }
            return false
        }!
        while s.left.selected != parent { s.press(.char("j")) }
        let before = s.left.rows.count
        s.press(.char("l"))
        #expect(s.left.rows.count > before)
        s.press(.char("h"))
        #expect(s.left.rows.count == before)
        s.press(.enter)
        #expect(s.leftMode == .results)
        #expect(s.left.title.hasPrefix("#"))
        let first = s.left.rows[s.left.selected!]
        s.press(.enter)
        if case let .note(n, _, _) = first.target { #expect(s.view?.note == n) } else { Issue.record("not a note row") }
        #expect(s.focus == .note)
    }

    @Test func backlinksPaneIsFocusedAndWalked() {
        var s = browser(120, 40)
        s.open(s.vault.index("network-nations.md"))
        s.press(.char("b"))
        #expect(s.focus == .right)
        let row = s.right.rows[s.right.selected!]
        guard case let .note(source, line, _) = row.target else { Issue.record("first row is not a backlink"); return }
        #expect(row.lines.count == 2)   // the source note and the line of context
        s.press(.enter)
        #expect(s.view?.note == source)
        #expect(line != nil)
        #expect(s.focus == .note)
        #expect(s.view?.selected != nil)   // the link back is selected
    }

    @Test func unlinkedMentionsFollowTheBacklinks() {
        var s = browser(120, 40)
        let target = s.vault.index("network-nations.md")
        s.open(target)
        func texts() -> [String] { s.right.rows.map { $0.lines.first.map { $0.map(\.text).joined() } ?? "" } }
        // The note comes first; the vault is searched once no key waits.
        #expect(s.hasIdleWork)
        #expect(texts().contains("  searching…"))
        s.idle()
        let texts = texts()
        let mentions = s.vault.unlinkedMentions(of: target)
        #expect(!mentions.isEmpty)
        let header = texts.firstIndex { $0.hasPrefix("Unlinked mentions (\(mentions.count))") }
        let backlinks = texts.firstIndex { $0.hasPrefix("Backlinks") }
        #expect(header != nil && backlinks != nil && header! > backlinks!)
        // The first mention row opens the mentioning note at its line.
        if let h = header, case let .mention(m) = s.right.rows[h + 1].target {
            #expect(m == mentions[0])
            s.right.selected = h + 1
            s.activate(s.right.rows[h + 1].target)
            #expect(s.view?.note == m.note)
        } else {
            Issue.record("no mention row after the header")
        }
    }

    @Test func randomNoteOpensAnotherNote() {
        var s = browser(120, 40)
        let here = s.view!.note
        s.randomIndex = { _ in here }          // the current note is never the pick
        s.press(.char("r"))
        #expect(s.view!.note == (here + 1) % s.vault.notes.count)
        #expect(s.back.count == 1)
        s.randomIndex = { _ in 0 }
        let current = s.view!.note
        s.press(.char("r"))
        #expect(s.view!.note == (current == 0 ? 1 : 0))
    }

    @Test func copyKeysAskTheRuntimeToCopy() {
        var s = browser(120, 40)
        s.open(s.vault.index("network-nations.md"), record: false)
        #expect(s.update(.key(.char("y"))) == [.copy("network-nations.md")])
        #expect(s.update(.key(.char("Y"))) == [.copy("[[network-nations|Network Nations]]")])
        #expect(s.message?.contains("copied") == true)
        #expect(s.update(.key(.char("j"))) == [])
    }

    @Test func theWebAroundANoteIsListedAndOpens() {
        var s = browser(120, 40)
        s.open(s.vault.index("network-nations.md"), record: false)
        s.press(.char("w"))
        #expect(s.focus == .left && s.left.title == "Around Network Nations")
        let headings = s.left.rows.filter { $0.target == .none }.map { $0.lines.first.map { $0.map(\.text).joined() } ?? "" }
        #expect(headings.contains { $0.hasPrefix("Links here (") })
        #expect(headings.contains { $0.hasPrefix("Second ring (") })
        let first = s.left.rows[s.left.selected!]
        s.press(.enter)
        if case let .note(n, _, _) = first.target { #expect(s.view?.note == n) } else { Issue.record("not a note row") }
    }

    @Test func creatingANoteForAnUnresolvedLinkAsksFirst() {
        var s = browser(120, 40)
        let from = s.vault.index("concepts/stigmergy.md")
        s.open(from)
        let link = s.vault.notes[from].links.firstIndex { !$0.isResolved && $0.aliasOf == nil }!
        let anchor = s.view!.document.anchors.firstIndex(of: .link(LinkRef(note: from, link: link)))!
        var v = s.view!
        v.selected = anchor
        s.view = v
        s.press(.char("c"))
        #expect(s.overlay == .confirm(.create(path: "a note that does not exist yet.md", contents: "# a note that does not exist yet\n\n")))
        #expect(s.screen.contains("Create a note that does not exist yet.md? y writes it"))
        s.press(.char("n"))
        #expect(s.overlay == .none && s.message == "nothing was written")
        s.press(.char("c"))
        #expect(s.update(.key(.char("y"))) == [.write(.create(path: "a note that does not exist yet.md", contents: "# a note that does not exist yet\n\n"))])
        // A resolved link is not a note to create.
        s.press(.tab)
        s.press(.char("c"))
        #expect(s.overlay == .none)
    }

    @Test("c on an unresolved link's row of the right pane asks to create its note, as c on the link in the note does")
    func creatingANoteFromTheLinksList() {
        var s = browser(120, 40)
        let from = s.vault.index("concepts/stigmergy.md")
        s.open(from)
        s.press(.char("b"))
        let ghost = { (row: ListRow) -> Bool in
            if case let .link(ref) = row.target, case .ghost = s.vault.link(ref).destination { return true }
            return false
        }
        let row = s.right.rows.firstIndex(where: ghost)!
        s.right.selected = row
        s.press(.char("c"))
        #expect(s.overlay == .confirm(.create(path: "a note that does not exist yet.md", contents: "# a note that does not exist yet\n\n")))
        s.press(.char("n"))
        // On a row that is neither, c says what it does.
        s.right.selected = s.right.rows.firstIndex { if case .note = $0.target { return true } else { return false } }
        s.press(.char("c"))
        #expect(s.overlay == .none)
        #expect(s.message == "c links the selected unlinked mention, or creates the note of the selected unresolved link")
        // Following the unresolved link says how to make its note.
        s.right.selected = row
        s.press(.enter)
        #expect(s.message?.contains("does not exist yet (unresolved link): c creates it") == true)
    }

    @Test("Enter in the switcher on a name no note has asks to create that note; search syntax and paths out of the vault are not names")
    func theSwitcherCreatesANote() {
        var s = browser(120, 40)
        s.press(.char("o"))
        s.type("brand new idea")
        s.settle()
        #expect(s.screen.contains("Enter creates “brand new idea.md”"))
        s.press(.enter)
        #expect(s.overlay == .confirm(.create(path: "brand new idea.md", contents: "# brand new idea\n\n")))
        s.press(.char("n"))
        var matched: [String] = []
        for (query, path) in [("projects/garden/zqx bed", "projects/garden/zqx bed.md"), ("Zqx.MD", "Zqx.MD"),
                              ("#nosuchtag", nil), ("zqx !network", nil), ("'zzz", nil), ("zzz$", nil), ("../outside", nil),
                              ("/abs", nil), ("a//b", nil), (".hidden", nil)] as [(String, String?)] {
            s.press(.char("o"))
            s.press(.ctrl("u"))
            s.type(query)
            s.settle()
            if s.switcher.result?.total != 0 { matched.append(query); s.press(.escape); continue }
            #expect(s.switcherNewNote == path, "\(query)")
            s.press(.enter)
            if let path {
                #expect(s.overlay == .confirm(.create(path: path, contents: "# \(path.dropLast(3))\n\n".replacingOccurrences(of: "projects/garden/", with: ""))), "\(query)")
                s.press(.char("n"))
            } else {
                #expect(s.overlay == .switcher, "\(query)")
                s.press(.escape)
            }
        }
        #expect(matched.isEmpty, "these match a note: \(matched)")
    }

    @Test func linkingAnUnlinkedMentionAsksFirst() {
        var s = browser(120, 40)
        let target = s.vault.index("network-nations.md")
        s.open(target)
        s.press(.char("b"))
        let row = s.right.rows.firstIndex { if case .mention = $0.target { return true } else { return false } }!
        while s.right.selected != row { s.press(.char("j")) }
        guard case let .mention(m) = s.right.rows[row].target else { return }
        s.press(.char("c"))
        guard case let .confirm(.rewrite(path, old, new)) = s.overlay else { Issue.record("no question asked"); return }
        #expect(path == s.vault.notes[m.note].path)
        #expect(old == s.vault.notes[m.note].text)
        #expect(new.contains("[[network-nations|\(m.context.dropFirst(m.column - 1).prefix(m.length))]]"))
        #expect(new.count == old.count + "[[network-nations|]]".count)
        s.press(.escape)
        #expect(s.overlay == .none && s.message == "nothing was written")
    }

    @Test func findInTheNoteMovesBetweenMatches() {
        var s = browser(80, 12)
        s.open(s.vault.index("network-nations.md"))
        s.press(.char("/"))
        s.type("nation")
        s.press(.enter)
        #expect(s.findQuery == "nation")
        let hits = s.findHits()
        #expect(hits.count > 3)
        let first = s.view!.top
        s.press(.char("n"))
        #expect(s.view!.top > first)
        s.press(.char("N"))
        #expect(s.view!.top == first)
        #expect(s.message?.contains("match") == true)
    }

    @Test func vaultSearchListsLinesAndOpensAtTheLine() {
        var s = browser(120, 40)
        s.press(.char("S"))
        s.type("mycorrhiza")
        s.press(.enter)
        #expect(s.leftMode == .results)
        #expect(s.focus == .left)
        #expect(s.left.rows.count > 1)
        s.press(.enter)
        #expect(s.view.map { s.vault.notes[$0.note].text.lowercased().contains("mycorrhiza") } == true)
    }

    @Test func escapeClosesEverything() {
        var s = browser(120, 40)
        s.press(.char("?"))
        #expect(s.overlay == .help)
        s.press(.escape)
        #expect(s.overlay == .none)
        s.press(.char("b"))
        s.press(.escape)
        #expect(s.focus == .note)
        s.press(.char("q"))
        #expect(s.quitting)
    }

    @Test func resizingKeepsThePlace() {
        var s = browser(120, 40)
        s.open(s.vault.index("network-nations.md"))
        for _ in 0..<12 { s.press(.char("j")) }
        let line = s.view!.page.rows[s.view!.top].line
        _ = s.update(.resize(width: 40, height: 12))
        #expect(s.view!.page.rows[s.view!.top].line == line)
        _ = s.update(.resize(width: 120, height: 40))
        #expect(s.view!.page.rows[s.view!.top].line == line)
    }

    @Test func mouseClicksFollowLinksAndWheelScrolls() {
        var s = browser(120, 40)
        let centre = s.frames.centre!
        // Find where "cosmolocalism" is drawn and click it.
        let v = s.view!
        let (row, seg) = v.page.rows.enumerated().lazy.compactMap { r, row in
            row.segments.first { $0.anchor != nil && $0.text == "cosmolocalism" }.map { (r, $0) }
        }.first!
        _ = s.update(.mouse(MouseEvent(.click, x: centre.x + 1 + seg.x, y: centre.y + row - v.top)))
        #expect(s.openPath == "concepts/cosmolocalism.md")
        _ = s.update(.mouse(MouseEvent(.wheelDown, x: centre.x + 2, y: 2)))
        #expect(s.view!.top == min(3, s.view!.page.rows.count - s.noteHeight))
        // A click on a row of the notes list opens that note.
        let left = s.frames.left!
        _ = s.update(.mouse(MouseEvent(.click, x: left.x + 2, y: left.y + 1)))
        #expect(s.view?.note == s.vault.notes.indices.min { s.vault.notes[$0].path.lowercased() < s.vault.notes[$1].path.lowercased() })
    }
}

@Suite struct LayoutTests {
    @Test func panesGiveWayAsTheTerminalNarrows() {
        let wide = browser(120, 40).frames
        #expect(wide.left != nil && wide.centre != nil && wide.right != nil)
        let mid = browser(80, 24).frames
        #expect(mid.left == nil && mid.centre != nil && mid.right != nil)
        let narrow = browser(40, 12).frames
        #expect(narrow.left == nil && narrow.right == nil && narrow.centre?.width == 40)
        let tiny = browser(20, 5)
        #expect(tiny.frames.centre == Rect(x: 0, y: 0, width: 20, height: 4))
        #expect(tiny.screen.split(separator: "\n").count == 5)
    }

    @Test func askingForTheLeftPaneWhereOnlyOneFitsShowsIt() {
        var s = browser(70, 24)
        #expect(s.frames.left == nil && s.frames.right != nil)
        s.press(.char("["))
        #expect(s.frames.left != nil && s.frames.right == nil)
        s.press(.char("["))
        #expect(s.frames.left == nil && s.frames.right != nil)
    }

    @Test func toggleKeysBringPanesBack() {
        var s = browser(80, 24)
        s.press(.char("["))
        #expect(s.frames.left != nil)
        s.press(.char("]"))
        #expect(s.frames.right == nil)
        s.press(.char("["))
        #expect(s.frames.left == nil)
    }

    @Test func aFocusedPaneTakesTheWidthWhenNothingElseFits() {
        var s = browser(40, 12)
        s.press(.char("t"))
        #expect(s.frames.left == Rect(x: 0, y: 0, width: 40, height: 11))
        #expect(s.frames.centre == nil)
        s.press(.escape)
        #expect(s.frames.centre?.width == 40)
    }

    @Test func statusLineShowsPathPositionAndHistory() {
        var s = browser(120, 40)
        s.press(.tab, .enter)
        let status = String(s.screen.split(separator: "\n").last!)
        #expect(status.contains("network-nations.md"))
        #expect(status.contains("◀1 ▶0"))
        #expect(status.contains("1/"))
    }
}
