import Testing
@testable import BrowserUI
@testable import VaultKit

@Suite struct ReloadTests {
    func lines(_ n: Int, _ extra: String = "") -> String {
        (1...n).map { "line \($0)" }.joined(separator: "\n\n") + extra
    }

    @Test func aNewSnapshotKeepsThePlaceAndShowsTheChange() {
        let before = vault(["a.md": lines(60), "b.md": "[[a]]"])
        var s = AppState(vault: before, width: 80, height: 20)
        s.open(before.index("b.md"))
        s.open(before.index("a.md"))
        for _ in 0..<30 { s.press(.char("j")) }
        let top = s.view!.page.rows[s.view!.top].text
        let after = vault(["a.md": lines(60, "\n\nAdded: [[c]]"), "b.md": "[[a]]", "c.md": "new"])
        s.replace(vault: after)
        #expect(s.openPath == "a.md")
        #expect(s.view!.page.rows[s.view!.top].text == top)
        #expect(s.view!.page.rows.contains { $0.text.contains("Added: c") })
        #expect(s.back.map { s.vault.notes[$0.note].path } == ["b.md"])
        // The finder knows the new note.
        s.press(.char("o"))
        s.type("c")
        #expect(s.switcher.result?.matches.contains { s.vault.notes[$0.note].path == "c.md" } == true)
    }

    @Test("a new snapshot keeps the switcher open with what was typed, and a text search or a tag's notes in the left pane, searched again")
    func aNewSnapshotKeepsWhatIsOpen() {
        let before = vault(["a.md": "garden #plants", "b.md": "garden too", "stigmergy.md": "x"])
        var s = AppState(vault: before, width: 100, height: 30)
        s.open(before.index("a.md"))
        s.press(.char("o"))
        s.type("sti")
        s.settle()
        let after = vault(["a.md": "garden #plants", "b.md": "garden too", "stigmergy.md": "x", "stiff.md": "garden [[stigmergy]] #plants"])
        s.replace(vault: after)
        #expect(s.overlay == .switcher)
        #expect(s.switcher.query == "sti")
        s.settle()
        #expect(s.switcher.result?.matches.contains { s.vault.notes[$0.note].path == "stiff.md" } == true)
        s.press(.escape)
        // The text search of every note, its second row selected.
        s.searchVault("garden")
        s.left.selected = 1
        s.replace(vault: vault(["a.md": "garden #plants", "b.md": "garden too", "c.md": "garden three"]))
        #expect(s.leftMode == .results)
        #expect(s.left.title == "“garden”: 3 lines")
        #expect(s.left.selected == 1)
        #expect(s.focus == .left)
        // A tag's notes.
        s.activate(.tag("plants"))
        s.replace(vault: vault(["a.md": "garden #plants", "d.md": "#plants"]))
        #expect(s.left.title == "#plants (2)")
        // A tag that is gone gives way to the note list.
        s.replace(vault: vault(["a.md": "garden"]))
        #expect(s.leftMode == .notes)
    }

    @Test("the selected link stays selected across a reload where it still is, even moved; else nothing is selected")
    func theSelectedLinkFollowsItsLink() {
        var s = AppState(vault: vault(["a.md": "[[x]] [[y]] [[y]] [[z]]", "y.md": "y"]), width: 100, height: 30)
        s.open(s.vault.index("a.md"))
        s.press(.tab); s.press(.tab); s.press(.tab)   // the second [[y]]
        func selectedTarget(_ s: AppState) -> String? {
            guard let v = s.view, let i = v.selected, case let .link(ref) = v.document.anchors[i] else { return nil }
            return s.vault.link(ref).target
        }
        #expect(selectedTarget(s) == "y")
        s.replace(vault: vault(["a.md": "[[y]] new [[y]] [[z]]", "y.md": "y"]))
        #expect(selectedTarget(s) == "y")
        #expect(s.view?.selected == 1)
        #expect(s.message?.contains("y") == true)
        s.replace(vault: vault(["a.md": "[[z]] only", "y.md": "y"]))
        #expect(s.view?.selected == nil)
    }

    @Test func aDeletedOpenNoteSaysSo() {
        let before = vault(["a.md": "a", "start here.md": "[[a]]"])
        var s = AppState(vault: before, width: 80, height: 20)
        s.open(before.index("start here.md"))
        s.open(before.index("a.md"))
        s.press(.char("m"))
        s.replace(vault: vault(["start here.md": "no links now"]))
        #expect(s.message == "a.md no longer exists")
        #expect(s.openPath == "start here.md")
        #expect(s.bookmarks.isEmpty)
        // The start note, where it came back to, is not also one step back.
        #expect(s.back.isEmpty)
    }

    @Test func mentionsAreSearchedOncePerNoteAndSnapshot() {
        var s = browser(120, 40)
        let a = s.vault.index("network-nations.md"), b = s.vault.index("concepts/commons.md")
        s.open(a)
        s.idle()
        s.open(b)
        s.idle()
        #expect(Set(s.mentionCache.keys) == [s.vault.index("start-here.md"), a, b])
        // A stale entry would be shown as is: going back uses the cache, not a new search.
        s.mentionCache[a] = []
        _ = s.update(.key(.backspace))
        #expect(!s.hasIdleWork)
        #expect(s.right.rows.contains { $0.lines.first?.map(\.text).joined() == "Unlinked mentions (0)" })
        // A new snapshot starts afresh.
        s.replace(vault: sampleVault)
        s.idle()
        #expect(Set(s.mentionCache.keys) == [a])
        #expect(!(s.mentionCache[a] ?? []).isEmpty)
    }

    @Test("a note opened and left before the browser is idle is never searched for mentions; the one on screen is, and its pane keeps its selected row")
    func mentionsWaitForIdleTime() {
        var s = browser(120, 40)
        let start = s.vault.index("start-here.md")
        let a = s.vault.index("network-nations.md"), b = s.vault.index("concepts/commons.md")
        s.open(a)
        s.open(b)
        // The pane of b is up before its search: focus it and select its last row (a tag or a link).
        s.focus = .right
        s.right.selected = s.right.rows.lastIndex { $0.selectable }
        let (row, selected) = (s.right.selected!, s.right.rows[s.right.selected!].target)
        s.idle()
        #expect(Set(s.mentionCache.keys) == [start, b])
        #expect(s.right.rows.contains { $0.lines.first?.map(\.text).joined().hasPrefix("Unlinked mentions (") == true })
        // b has several mentions: the rows after them moved down, and the selection with them.
        #expect(s.right.selected! > row)
        #expect(s.right.rows[s.right.selected!].target == selected)
        // Going back to a now searches it.
        s.press(.backspace)
        #expect(s.openPath == "network-nations.md")
        #expect(Set(s.mentionCache.keys) == [start, a, b])
    }

    @Test("when the mentions arrive, the pane's default row is chosen again and a chosen row is kept in sight")
    func mentionsKeepThePaneInOrder() {
        // A note without backlinks: its pane's first row to choose is a link, until the
        // mentions come before it.
        let v = Vault.make(notes: ["a.md": "# A\n[[b]] and [[c]]", "b.md": "A is named here, and a again.", "c.md": "so is A"])
        var s = browser(60, 12, vault: v)
        s.open(v.index("a.md"))
        guard case .link = s.right.rows[s.right.selected!].target else { Issue.record("no link chosen first"); return }
        s.idle()
        guard case .mention = s.right.rows[s.right.selected!].target else { Issue.record("the first mention is not chosen"); return }
        // The pane's last row, chosen while it is all in sight, stays in sight when a dozen
        // mentions push it down.
        var notes = ["a.md": "# A\n[[b]] #t", "b.md": "b"]
        for i in 0..<12 { notes["m\(i).md"] = "A is named here." }
        var t = browser(100, 24, vault: Vault.make(notes: notes))
        t.open(t.vault.index("a.md"))
        t.focus = .right
        t.right.selected = t.right.rows.lastIndex { $0.selectable }
        guard case .tag = t.right.rows[t.right.selected!].target else { Issue.record("the last row is not the tag"); return }
        #expect(t.right.top == 0 && t.right.shows(t.right.selected!, height: t.listHeight(.right)))
        t.idle()
        #expect(t.right.rows.filter { if case .mention = $0.target { return true } else { return false } }.count == 12)
        guard case .tag = t.right.rows[t.right.selected!].target else { Issue.record("the tag is no longer chosen"); return }
        #expect(t.right.shows(t.right.selected!, height: t.listHeight(.right)))
    }

    @Test("hint labels name the pane's rows by place: the mentions are not searched while they are up")
    func noMentionsUnderHintLabels() {
        var s = browser(120, 40)
        let b = s.vault.index("concepts/commons.md")
        s.open(b)
        _ = s.update(.key(.char("f")))
        #expect(s.overlay == .hints)
        #expect(!s.hasIdleWork)
        s.idle()
        #expect(s.mentionCache[b] == nil)
        // Each row label still leads where it did.
        for h in s.hints { if case let .row(i) = h.target { #expect(s.right.rows[i].selectable) } }
        s.press(.escape)
        #expect(s.mentionCache[b] != nil)
    }

    @Test func editAsksTheRuntimeForTheEditor() {
        var s = browser(120, 40)
        #expect(s.update(.key(.char("e"))) == [.edit("start-here.md")])
    }
}
