import Foundation
import Testing
@testable import VaultKit

@Suite struct VaultReloadTests {
    @Test func onlyChangedNotesAreParsedAndLinksResolveAgain() throws {
        let dir = TempDir()
        dir.write("a.md", "first")
        dir.write("b.md", "bee")
        dir.write("d.md", "doomed")
        dir.write("x.md", "see [[the alias]]")
        dir.write("y.md", "---\naliases: [the alias]\n---\ny")
        let before = try Vault.load(at: dir.path)
        #expect(before.notes[before.index("x.md")].links[0].aliasOf == before.index("y.md"))

        dir.write("a.md", "now links [[b]]")
        dir.write("c.md", "new note")
        dir.write("the alias.md", "a note with the alias's name")
        try FileManager.default.removeItem(atPath: dir.path + "/d.md")
        // b is changed on disk but not reported: the reload keeps its old parse.
        dir.write("b.md", "bee, edited but not reported")
        let after = try Vault.reload(before, changed: ["a.md", "the alias.md"])

        #expect(after.notes.map(\.path).sorted() == ["a.md", "b.md", "c.md", "the alias.md", "x.md", "y.md"])
        #expect(after.notes[after.index("a.md")].links.first?.destination == .note(after.index("b.md")))
        #expect(after.backlinks[after.index("b.md")].map(\.note) == [after.index("a.md")])
        #expect(after.notes[after.index("b.md")].text == "bee")
        // x was not re-parsed, but its link was resolved again: the new file wins over the alias.
        let xLink = after.notes[after.index("x.md")].links[0]
        #expect(xLink.destination == .note(after.index("the alias.md")))
        #expect(xLink.aliasOf == nil)
        // The same as a full load of the same files, apart from b (not reported).
        let full = try Vault.load(at: dir.path)
        #expect(full.notes.map(\.path) == after.notes.map(\.path))
        #expect(full.notes.filter { $0.path != "b.md" }.map(\.links) == after.notes.filter { $0.path != "b.md" }.map(\.links))
    }

    @Test("a link kept from the last snapshot has its heading or block checked again: found once the target gains it, not found once it loses it")
    func keptLinksHaveTheirSubpathsCheckedAgain() throws {
        let dir = TempDir()
        dir.write("a.md", "[[b#Later]] [[b#Part#Inner]] [[b#^blk]] [[b#Early]]")
        dir.write("b.md", "# Early\n")
        let before = try Vault.load(at: dir.path)
        #expect(before.notes[before.index("a.md")].links.map(\.subpathFound) == [false, false, false, true])

        // Only b is reported changed: a keeps its parse, and its links are checked again.
        dir.write("b.md", "# Part\n## Inner\n## Later\nclaim ^blk\n")
        let gained = try Vault.reload(before, changed: ["b.md"])
        #expect(gained.notes[gained.index("a.md")].links.map(\.subpathFound) == [true, true, true, false])

        dir.write("b.md", "# Early\n")
        let lost = try Vault.reload(gained, changed: ["b.md"])
        #expect(lost.notes[lost.index("a.md")].links.map(\.subpathFound) == [false, false, false, true])
    }
}
