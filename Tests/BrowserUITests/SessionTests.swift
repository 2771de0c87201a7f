import Testing
@testable import BrowserUI
@testable import VaultKit

@Suite struct SessionTests {
    @Test func bookmarksToggleAndList() {
        var s = browser(120, 40)
        s.press(.char("'"))
        #expect(s.message?.contains("no bookmarks yet") == true)
        s.open(s.vault.index("network-nations.md"))
        s.press(.char("m"))
        #expect(s.bookmarks == ["network-nations.md"])
        s.open(s.vault.index("concepts/commons.md"))
        s.press(.char("m"), .char("'"))
        #expect(s.focus == .left)
        #expect(s.left.title == "Bookmarks (2)")
        s.press(.enter)
        #expect(s.openPath == "network-nations.md")
        s.press(.char("m"))
        #expect(s.bookmarks == ["concepts/commons.md"])
    }

    @Test func aSessionComesBack() {
        var s = browser(120, 40)
        s.press(.tab, .enter)                 // start-here → network-nations
        s.open(s.vault.index("concepts/commons.md"))
        s.press(.char("m"))
        let saved = s.session
        #expect(saved.last == "concepts/commons.md")
        #expect(saved.history == ["start-here.md", "network-nations.md"])
        #expect(saved.bookmarks == ["concepts/commons.md"])

        var next = AppState(vault: sampleVault, width: 120, height: 40)
        next.restore(saved, openLast: true)
        #expect(next.openPath == "concepts/commons.md")
        #expect(next.back.map { next.vault.notes[$0.note].path } == ["start-here.md", "network-nations.md"])
        next.press(.backspace)
        #expect(next.openPath == "network-nations.md")

        // A note asked for on the command line wins over the last one; bookmarks stay.
        var asked = AppState(vault: sampleVault, width: 120, height: 40)
        asked.restore(saved, openLast: false)
        #expect(asked.view == nil && asked.bookmarks == ["concepts/commons.md"])
    }

    @Test func pathsThatAreGoneAreDropped() {
        var s = AppState(vault: sampleVault, width: 80, height: 24)
        s.restore(Session(last: "gone.md", history: ["gone-too.md"], bookmarks: ["gone.md", "start-here.md"]), openLast: true)
        #expect(s.view == nil)
        #expect(s.bookmarks == ["start-here.md"])
    }
}
