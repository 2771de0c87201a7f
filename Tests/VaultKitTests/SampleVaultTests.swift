import Foundation
import Testing
@testable import VaultKit

/// The sample vault in `vault/`, checked fact by fact. Each fact is written down from the
/// notes themselves (see vault/README.md), not from what VaultKit returns.
@Suite("Sample vault")
struct SampleVaultTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("vault").path
    }()

    let v: Vault
    init() throws { v = try Vault.load(at: Self.root) }

    /// Where a note's link with this exact target text resolves ("ghost:key" when it does not).
    func resolves(_ from: String, _ target: String, kind: Link.Kind? = nil) -> [String] {
        v.note(from).links.filter { $0.target == target && (kind == nil || $0.kind == kind) }.map { l in
            if case let .ghost(g) = l.destination { return "ghost:" + v.ghosts[g].key }
            return v.path(of: l.destination)
        }
    }

    @Test("size, hidden folders and attachments")
    func shape() {
        #expect(v.notes.count >= 30)
        #expect(!v.notes.contains { $0.path.hasPrefix(".") })
        #expect(v.attachments.map(\.path) == ["attachments/mycelium-map.png", "attachments/network-map.canvas", "attachments/reading-list.pdf"])
        #expect(Set(v.notes.map { $0.folder.split(separator: "/").count }).contains(3))
    }

    @Test("Network Nations: the seed note's facts")
    func networkNations() {
        let n = v.note("network-nations.md")
        #expect(n.title == "Network Nations")
        #expect(n.properties.first { $0.key == "type" }?.value.text == "concept")
        #expect(n.properties.first { $0.key == "visibility" }?.value.text == "public")
        #expect(n.properties.first { $0.key == "updated" }?.value.text == "2026-02-04")
        #expect(n.tags == ["governance", "technology", "civic-innovation"])
        #expect(n.aliases == ["network nation", "digital nations", "network states"])
        let related = n.links.filter { $0.kind == .frontmatter }
        #expect(related.map(\.target) == ["cosmolocalism", "bioregionalism", "self-sovereign-identity", "liquid-democracy"])
        #expect(related.map { v.path(of: $0.destination) } == [
            "concepts/cosmolocalism.md", "concepts/bioregionalism.md",
            "concepts/self-sovereign-identity.md", "concepts/liquid-democracy.md",
        ])
        let body = n.links.filter { $0.kind != .frontmatter }
        #expect(body.map { v.path(of: $0.destination) } == [
            "concepts/cosmolocalism.md", "concepts/bioregionalism.md", "concepts/self-sovereign-identity.md",
            "concepts/liquid-democracy.md", "writing/citizen.md", "writing/the-mycelial-sensing-of-networks.md",
        ])
        #expect(body[4].display == "Citizen")
        #expect(n.links.allSatisfy { $0.isResolved })
    }

    @Test("every link form resolves as the format says")
    func linkForms() {
        #expect(resolves("start-here.md", "notes") == ["projects/mycel/notes.md"])           // shortest path
        #expect(resolves("projects/garden/seed-library.md", "notes") == ["projects/garden/notes.md"])  // same folder
        #expect(resolves("daily/2026/01/2026-01-14.md", "garden/notes") == ["projects/garden/notes.md"])  // suffix
        #expect(resolves("start-here.md", "design/overview") == ["projects/mycel/design/overview.md"])
        #expect(resolves("start-here.md", "writing/Letters to a Bioregion.md", kind: .markdown) == ["writing/Letters to a Bioregion.md"])
        #expect(resolves("start-here.md", "places/Field Station Notes.md", kind: .markdown) == ["places/Field Station Notes.md"])
        #expect(resolves("start-here.md", "reading-list.pdf") == ["attachments/reading-list.pdf"])
        #expect(resolves("start-here.md", "菌糸ネットワーク") == ["places/菌糸ネットワーク.md"])
        #expect(resolves("projects/garden/seed-library.md", "concepts/commons.md") == ["concepts/commons.md"])
        #expect(resolves("concepts/stigmergy.md", "./commons") == ["concepts/commons.md"])
        #expect(resolves("projects/mycel/design/overview.md", "./link-resolution") == ["projects/mycel/design/link-resolution.md"])
        #expect(resolves("projects/mycel/design/overview.md", "../roadmap") == ["projects/mycel/roadmap.md"])
        #expect(resolves("projects/mycel/design/overview.md", "network-map.canvas") == ["attachments/network-map.canvas"])
        #expect(resolves("people/elinor-ostrom.md", "../concepts/polycentric-governance") == ["concepts/polycentric-governance.md"])
        #expect(resolves("places/estonia.md", "/writing/citizen") == ["writing/citizen.md"])
        #expect(resolves("concepts/mycorrhizal-networks.md", "mycelium-map.png") == ["attachments/mycelium-map.png"])
        #expect(resolves("daily/2026/02/2026-02-04.md", "network-nations", kind: .embed) == ["network-nations.md"])
        #expect(resolves("writing/Letters to a Bioregion.md", "Field Station Notes") == ["places/Field Station Notes.md"])
    }

    @Test("headings, chained headings, blocks and self links are found")
    func subpaths() {
        func link(_ from: String, _ target: String) -> Link? { v.note(from).links.first { $0.target == target } }
        #expect(link("concepts/bioregionalism.md", "cosmolocalism#Heavy and Local")?.subpathFound == true)
        #expect(link("concepts/commons.md", "#Design Principles")?.destination == .note(v.index("concepts/commons.md")))
        #expect(link("concepts/subsidiarity.md", "polycentric-governance#Polycentric Governance#Nested Enterprises")?.subpathFound == true)
        #expect(link("writing/the-mycelial-sensing-of-networks.md", "mycorrhizal-networks#^wood-wide-web")?.subpathFound == true)
        #expect(link("writing/the-mycelial-sensing-of-networks.md", "mycorrhizal-networks#^fungal-roles")?.subpathFound == true)
        #expect(link("writing/citizen.md", "self-sovereign-identity#Wallets and Credentials")?.isEmbed == true)
        #expect(v.note("writing/citizen.md").headings.first?.text == "Citizen")  // setext
        #expect(!v.diagnostics.contains { $0.kind == .missingHeading || $0.kind == .missingBlock })
    }

    @Test("table links with an escaped pipe")
    func tables() {
        let l = v.note("concepts/polycentric-governance.md").links.filter { $0.display == "Commons" }
        #expect(l.count == 1)
        #expect(l.first.map { v.path(of: $0.destination) } == "concepts/commons.md")
    }

    @Test("the unresolved link, the alias-only link, and check's report")
    func unresolved() {
        let g = v.ghost(named: "a note that does not exist yet")
        #expect(g != nil)
        if let g { #expect(Set(v.ghostBacklinks[g].map { v.notes[$0.note].path }) == ["concepts/stigmergy.md", "daily/2026/03/2026-03-01.md"]) }
        let alias = v.note("writing/exit-without-exile.md").links.first { $0.target == "network states" }
        #expect(alias?.aliasOf == v.index("network-nations.md"))
        #expect(v.ghosts.count == 2)
        #expect(v.diagnostics.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.aliasLink, .ambiguousLink, .brokenLink, .brokenLink])
    }

    @Test("frontmatter links and related lists")
    func frontmatter() {
        #expect(resolves("writing/exit-without-exile.md", "writing/citizen", kind: .frontmatter) == ["writing/citizen.md"])
        let seeAlso = v.note("writing/exit-without-exile.md").links.filter { $0.property == "see-also" }
        #expect(seeAlso.map { v.path(of: $0.destination) } == ["concepts/bioregionalism.md", "concepts/commons.md"])
    }

    @Test("no decoy is a link or a tag")
    func decoys() {
        for n in v.notes {
            #expect(!n.links.contains { $0.target.hasPrefix("decoy-") }, "decoy link in \(n.path)")
            #expect(!n.tags.contains { $0.hasPrefix("decoy") }, "decoy tag in \(n.path)")
        }
        #expect(v.note("projects/mycel/design/parser-edge-cases.md").links.map(\.target) == ["link-resolution", "tag-rules"])
        #expect(v.tags("projects/mycel/design/parser-edge-cases.md") == ["mycel", "parsing", "mycel/parser"])
    }

    @Test("tags: nested, string form, legacy key, CJK, emoji and the boundary rules")
    func tags() {
        #expect(v.tags("concepts/liquid-democracy.md") == ["governance", "voting", "governance/participatory", "open-question"])
        #expect(v.tags("concepts/mycorrhizal-networks.md") == ["ecology", "fungi", "ecology/fungi/mycorrhiza"])
        #expect(v.tags("projects/garden/seed-library.md") == ["garden", "practice", "seedling🌱"])
        #expect(v.tags("projects/garden/notes.md") == ["garden", "log"])
        #expect(v.tags("places/菌糸ネットワーク.md") == ["ecology/fungi", "日本語", "菌糸"])
        #expect(v.tags("projects/mycel/design/tag-rules.md") == ["mycel", "tags", "practice", "y1984", "networks", "ecology/fungi/mycorrhiza"])
        #expect(v.tags("daily/2026/01/2026-01-14.md") == ["journal"])
        let eco = v.tagTree.find("ecology")
        #expect(eco?.children.map(\.name) == ["fungi", "soil"])
        #expect(eco?.find("fungi/mycorrhiza")?.count == 2)
    }

    @Test("frontmatter shapes: raw yes, one-string alias, capital key, no title, no frontmatter")
    func properties() {
        #expect(v.note("concepts/consent.md").aliases == ["yes", "consent-based"])
        #expect(v.note("concepts/commons.md").aliases == ["the commons"])
        #expect(v.note("people/elinor-ostrom.md").aliases == ["Lin Ostrom"])
        #expect(v.note("concepts/stigmergy.md").title == "stigmergy")
        #expect(!v.note("daily/2026/01/2026-01-14.md").hasFrontmatter)
        #expect(v.note("README.md").title == "About this vault")
    }

    @Test("the orphan, and the mentions of Network Nations")
    func orphansAndMentions() {
        #expect(v.orphans.map { v.notes[$0].path } == ["inbox/half-formed-thought.md"])
        let mentions = v.unlinkedMentions(of: v.index("network-nations.md"))
        #expect(mentions.contains { v.notes[$0.note].path == "people/toni-lane-casserly.md" && $0.term == "Network Nations" })
        #expect(!mentions.contains { v.notes[$0.note].path == "network-nations.md" })
    }
}
