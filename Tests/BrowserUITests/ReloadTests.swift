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

    @Test func aDeletedOpenNoteSaysSo() {
        let before = vault(["a.md": "a", "start here.md": "[[a]]"])
        var s = AppState(vault: before, width: 80, height: 20)
        s.open(before.index("a.md"))
        s.press(.char("m"))
        s.replace(vault: vault(["start here.md": "no links now"]))
        #expect(s.message == "a.md no longer exists")
        #expect(s.openPath == "start here.md")
        #expect(s.bookmarks.isEmpty)
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
        s.press(.backspace)
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
        // Nothing is left to do, and going back to a now searches it.
        #expect(!s.hasIdleWork)
        s.press(.backspace)
        #expect(s.openPath == "network-nations.md")
        #expect(Set(s.mentionCache.keys) == [start, a, b])
    }

    @Test func editAsksTheRuntimeForTheEditor() {
        var s = browser(120, 40)
        #expect(s.update(.key(.char("e"))) == [.edit("start-here.md")])
    }
}
