import Testing
@testable import BrowserUI
@testable import VaultKit

@Suite struct HintTests {
    @Test func labelsAreHomeRowAndPrefixFree() {
        #expect(AppState.hintLabels(3) == ["a", "s", "d"])
        let many = AppState.hintLabels(30)
        #expect(many.count == 30 && Set(many).count == 30)
        #expect(many.allSatisfy { $0.count == 2 && $0.allSatisfy { AppState.hintLetters.contains($0) } })
    }

    @Test func everyVisibleLinkGetsALabelAndTypingItFollows() {
        var s = browser(120, 40)
        s.press(.char("f"))
        #expect(s.overlay == .hints)
        let anchors = s.hints.compactMap { h -> Int? in if case let .anchor(a) = h.target { return a } else { return nil } }
        let rows = s.hints.filter { if case .row = $0.target { return true } else { return false } }
        // The note's links on screen and the backlinks pane's rows are all labelled.
        let v = s.view!
        let visible = Set((v.top..<min(v.page.rows.count, v.top + s.noteHeight)).flatMap { v.page.rows[$0].segments.compactMap(\.anchor) })
        #expect(Set(anchors) == visible)
        #expect(!rows.isEmpty)
        // The label of "cosmolocalism" takes us there.
        let target = s.hints.first { h in
            if case let .anchor(a) = h.target { return v.page.rows.flatMap(\.segments).first { $0.anchor == a }?.text == "cosmolocalism" }
            return false
        }!
        for c in target.label { s.press(.char(c)) }
        #expect(s.overlay == .none)
        #expect(s.openPath == "concepts/cosmolocalism.md")
    }

    @Test func labelsSitBesideTheTextTheyPointAt() {
        var s = browser(120, 40)
        s.press(.char("f"))
        let grid = View.draw(s)
        for h in s.hints {
            // The first cell of the linked text still shows the text, not the label.
            let cell = grid[h.x, h.y]
            #expect(cell.style.role != .hint, "label covers the link at \(h.x),\(h.y)")
        }
    }

    @Test func escapeOrAStrayKeyEndsHintMode() {
        var s = browser(120, 40)
        s.press(.char("f"), .escape)
        #expect(s.overlay == .none && s.openPath == "start-here.md")
        s.press(.char("f"), .char("x"))
        #expect(s.overlay == .none && s.openPath == "start-here.md")
        #expect(s.message?.contains("hint mode ended") == true)
    }

    @Test func aBacklinkRowCanBeFollowedByItsLabel() {
        var s = browser(120, 40)
        s.open(s.vault.index("network-nations.md"), record: false)
        s.press(.char("f"))
        let row = s.hints.first { if case .row = $0.target { return true } else { return false } }!
        guard case let .row(i) = row.target, case let .note(source, _, _) = s.right.rows[i].target else {
            Issue.record("the first labelled row is not a backlink"); return
        }
        for c in row.label { s.press(.char(c)) }
        #expect(s.view?.note == source)
    }
}
