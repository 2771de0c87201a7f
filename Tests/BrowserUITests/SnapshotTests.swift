import Testing
@testable import BrowserUI
@testable import VaultKit

/// Text snapshots of whole screens at three sizes. Stored under Snapshots/; re-record with
/// `MYCEL_RECORD=1 swift test --filter SnapshotTests` and read the diff before committing.
@Suite struct SnapshotTests {
    static let sizes = [(120, 40), (80, 24), (40, 12)]

    func each(_ name: String, _ setup: (inout AppState) -> Void) {
        for (w, h) in Self.sizes {
            var s = browser(w, h)
            setup(&s)
            assertSnapshot(s.screen, named: "\(name)-\(w)x\(h)")
        }
    }

    @Test func startNote() { each("start") { _ in } }

    @Test func noteWithLinkSelected() {
        each("network-nations") { s in
            s.open(s.vault.index("network-nations.md"), record: false)
            s.press(.tab, .tab)
        }
    }

    @Test func quickSwitcher() {
        each("switcher") { s in
            s.press(.char("o"))
            s.type("network states")
        }
    }

    @Test func tagTree() {
        each("tags") { s in
            s.press(.char("t"), .char("j"), .char("l"))
        }
    }

    @Test func backlinksFocused() {
        each("backlinks") { s in
            s.open(s.vault.index("concepts/commons.md"), record: false)
            s.press(.char("b"), .char("j"))
        }
    }

    @Test func help() { each("help") { s in s.press(.char("?")) } }

    @Test func hintMode() { each("hints") { s in s.press(.char("f")) } }

    @Test func webAroundANote() {
        each("web") { s in
            s.open(s.vault.index("network-nations.md"), record: false)
            s.press(.char("w"))
        }
    }

    @Test func writeQuestion() {
        each("confirm") { s in
            s.open(s.vault.index("network-nations.md"), record: false)
            s.press(.char("b"))
            while let i = s.right.selected, !({ if case .mention = s.right.rows[i].target { return true }; return false }()) {
                let before = s.right.selected
                s.press(.char("j"))
                if s.right.selected == before { break }
            }
            s.press(.char("c"))
        }
    }

    @Test func richNote() {
        each("rich") { s in
            s.open(s.vault.index("projects/mycel/design/overview.md"), record: false)
            s.idle()
        }
    }
}
