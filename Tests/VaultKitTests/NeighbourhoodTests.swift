import Testing
@testable import VaultKit

@Suite struct NeighbourhoodTests {
    let v = vault([
        "hub.md": "---\ntags: [a, b]\n---\n[[one]] [[one]] [[two]] [[the alias]]",
        "one.md": "[[hub]] [[far]]",
        "two.md": "#a #b",
        "three.md": "#b",
        "four.md": "---\naliases: [the alias]\n---\n[[hub]]",
        "far.md": "nothing",
        "caller.md": "[[hub]] [[hub]] [[hub]]",
    ])

    @Test func ringsAreRankedAndDisjointWhereTheyShouldBe() {
        let n = v.neighbourhood(of: v.index("hub.md"))
        func paths(_ xs: [Neighbour]) -> [String] { xs.map { v.notes[$0.note].path } }
        #expect(paths(n.inbound) == ["caller.md", "four.md", "one.md"])
        #expect(n.inbound.map(\.weight) == [3, 1, 1])
        // one twice, two once, four through its alias.
        #expect(paths(n.outbound) == ["one.md", "four.md", "two.md"])
        #expect(n.outbound.first?.weight == 2)
        // Tags shared with notes not already linked: three (#b). two is linked already.
        #expect(paths(n.sharingTags) == ["three.md"])
        // far is reached through one; nothing in the first ring repeats in the second.
        #expect(paths(n.secondRing) == ["far.md"])
        #expect(n.firstRing.isDisjoint(with: n.secondRing.map(\.note)))
        #expect(!n.firstRing.contains(n.centre))
    }

    @Test func depthOneHasNoSecondRingAndLimitsApply() {
        let n = v.neighbourhood(of: v.index("hub.md"), depth: 1, limit: 1)
        #expect(n.secondRing.isEmpty)
        #expect(n.inbound.count == 1 && n.outbound.count == 1)
        // What the limit cut is still counted.
        #expect(n.totals == [3, 3, 1, 0])
        #expect(v.neighbourhood(of: v.index("hub.md")).totals == [3, 3, 1, 1])
    }

    @Test func theFirstRingMatchesBacklinksOnTheSampleVault() throws {
        let sample = try Vault.load(at: SampleVaultTests.root)
        let i = sample.index("network-nations.md")
        let n = sample.neighbourhood(of: i, limit: 1000)
        let expected = Set(sample.backlinks[i].map(\.note)).subtracting([i])
            .union(sample.notes.indices.filter { j in sample.notes[j].links.contains { $0.aliasOf == i } })
        #expect(Set(n.inbound.map(\.note)) == expected)
    }
}
