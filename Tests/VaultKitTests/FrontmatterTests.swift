import Testing
import VaultGenerator
@testable import VaultKit

@Suite("Frontmatter")
struct FrontmatterTests {
    @Test("present only with an opening --- line and a closing --- line")
    func presence() {
        let v = vault([
            "ok.md": "---\ntitle: T\n---\nbody",
            "noclose.md": "---\ntitle: T\nbody [[x]]",
            "late.md": "\n---\ntitle: T\n---\n",
            "inline.md": "--- title: T\n---\n",
        ])
        #expect(v.note("ok.md").title == "T")
        #expect(v.note("ok.md").body == "body")
        #expect(!v.note("noclose.md").hasFrontmatter)
        #expect(v.note("noclose.md").title == "noclose")
        #expect(v.targets("noclose.md") == ["ghost:x"])  // the whole file is body
        #expect(!v.note("late.md").hasFrontmatter)
        #expect(!v.note("inline.md").hasFrontmatter)
    }

    @Test("scalars stay raw text: no YAML 1.1 booleans or dates")
    func rawScalars() {
        let v = vault(["c.md": "---\naliases: [yes, no, on]\nupdated: 2026-03-01\ntitle: 0123\ntags: [yes, 2024, 1.5, true, ok]\n---\n"])
        let n = v.note("c.md")
        #expect(n.aliases == ["yes", "no", "on"])
        #expect(n.properties.first { $0.key == "updated" }?.value == .scalar("2026-03-01", quoted: false))
        #expect(n.title == "0123")
        // Tags that YAML 1.2 reads as numbers or booleans are not strings: dropped.
        #expect(n.tags == ["yes", "ok"])
    }

    @Test("invalid YAML: no properties, the block is not body, check gives the line")
    func invalidYAML() {
        let v = vault(["bad.md": "---\ntitle: fine\ntags: [a, b\naliases: x\n---\n[[body-link]] #bodytag"])
        let n = v.note("bad.md")
        #expect(n.properties.isEmpty)
        #expect(n.aliases.isEmpty)
        #expect(n.title == "bad")
        #expect(n.frontmatterError != nil)
        #expect(v.targets("bad.md") == ["ghost:body-link"])
        #expect(n.tags == ["bodytag"])
        let d = v.diagnostics.first { $0.kind == .invalidFrontmatter }
        #expect(d?.path == "bad.md")
        #expect((d?.line ?? 0) >= 3 && (d?.line ?? 0) <= 5)
    }

    @Test("a mapping used as a key (an unfilled {{placeholder}}) is reported with its line")
    func placeholderKey() {
        let v = vault(["t.md": "---\ntitle: ok\ncreated: {{date}}\n---\n"])
        #expect(v.note("t.md").frontmatterError?.line == 3)
    }

    @Test("aliases: list, flow list, one string, legacy alias; nulls and empties dropped; keys any case")
    func aliases() {
        let v = vault([
            "a.md": "---\naliases:\n  - One\n  - \n  - Two\n---\n",
            "b.md": "---\naliases: [x, '', y]\n---\n",
            "c.md": "---\naliases: single alias, with comma\n---\n",
            "d.md": "---\nalias: legacy\n---\n",
            "e.md": "---\nAliases: [Capital]\n---\n",
            "f.md": "---\naliases:\n---\n",
        ])
        #expect(v.note("a.md").aliases == ["One", "Two"])
        #expect(v.note("b.md").aliases == ["x", "y"])
        #expect(v.note("c.md").aliases == ["single alias, with comma"])
        #expect(v.note("d.md").aliases == ["legacy"])
        #expect(v.note("e.md").aliases == ["Capital"])
        #expect(v.note("f.md").aliases.isEmpty)
    }

    @Test("tags: list, flow list, string split on commas and spaces, # stripped, spaces dropped, legacy tag")
    func tags() {
        let v = vault([
            "a.md": "---\ntags:\n  - '#one'\n  - two words\n  - three\n---\n",
            "b.md": "---\ntags: [x, '#y']\n---\n",
            "c.md": "---\ntags: alpha, beta gamma,#delta\n---\n",
            "d.md": "---\ntag: legacy\n---\n",
            "e.md": "---\nTAGS: [Upper]\n---\n",
            "f.md": "---\ntags: [[nested, list], {a: b}, ok]\n---\n",
        ])
        #expect(v.tags("a.md") == ["one", "three"])
        #expect(v.tags("b.md") == ["x", "y"])
        #expect(v.tags("c.md") == ["alpha", "beta", "gamma", "delta"])
        #expect(v.tags("d.md") == ["legacy"])
        #expect(v.tags("e.md") == ["Upper"])
        #expect(v.tags("f.md") == ["ok"])
    }

    @Test("frontmatter links: any string with [[...]] at any depth, and related names; kept apart")
    func frontmatterLinks() {
        let v = vault([
            "n.md": """
            ---
            source: "[[a]]"
            nested:
              deeper:
                - "see [[b|Bee]] and [[c#H]]"
            related: [a, d, "[[b]]"]
            plain: a
            ---
            [[a]]
            """,
            "a.md": "", "b.md": "", "c.md": "# H", "d.md": "",
        ])
        let links = v.note("n.md").links
        let fm = links.filter { $0.kind == .frontmatter }
        #expect(fm.map(\.target) == ["a", "b", "c#H", "a", "d", "b"])
        #expect(fm.map(\.property) == ["source", "nested", "nested", "related", "related", "related"])
        #expect(fm[0].line == 2)
        #expect(fm[0].column == 10)
        #expect(fm[1].line == 5)
        #expect(fm[2].column == 26)
        #expect(fm[3].line == 6 && fm[3].column == 11)
        #expect(fm[1].display == "Bee")
        #expect(links.filter { $0.kind != .frontmatter }.map(\.kind) == [.wikilink])
        #expect(v.backlinks[v.index("a.md")].count == 3)
    }

    @Test("aliases that expand without end and nesting thousands deep are refused, not followed")
    func hostileYAML() {
        let v = vault([
            "laughs.md": "---\n" + VaultGenerator.billionLaughs + "title: kept?\n---\n[[body link]]",
            "deep.md": "---\nk: " + String(repeating: "[", count: 100_000) + "\n---\n",
            "fine.md": "---\nk: [[a], [b, [c]]]\nx: &anchor v\ny: *anchor\n---\n",
        ])
        #expect(v.note("laughs.md").frontmatterError?.message.contains("100000 values") == true)
        #expect(v.note("laughs.md").properties.isEmpty)
        #expect(v.targets("laughs.md") == ["ghost:body link"])
        #expect(v.note("deep.md").frontmatterError?.message.contains("200 levels") == true)
        #expect(v.note("fine.md").frontmatterError == nil)
        // Brackets inside quotes or comments are text, however many.
        let quoted = String(repeating: "[", count: 300)
        #expect(Frontmatter.nestingTooDeep("title: \"\(quoted)\"\nk: {a: 1}") == nil)
        #expect(Frontmatter.nestingTooDeep("title: '\(quoted)'\n# \(quoted)\nk: [x]") == nil)
        #expect(Frontmatter.nestingTooDeep("a: it's\nk: \(quoted)") == 2)
        // Block nesting counts too: entries on one line, or ever deeper indentation.
        #expect(Frontmatter.nestingTooDeep("k:\n" + String(repeating: "- ", count: 900) + "x") == 2)
        #expect(Frontmatter.nestingTooDeep("k:\n" + String(repeating: " ", count: 500) + "v: 1") == 2)
        #expect(Frontmatter.nestingTooDeep("list:\n  - - a\n    - b\n  - c") == nil)
        #expect(v.note("fine.md").properties.count == 3)
    }

    @Test("a repeated key is reported on the line that repeats it")
    func duplicateKeyLine() {
        let v = vault(["d.md": "---\ntitle: a\ntags: [x]\ntitle: b\n---\n", "e.md": "---\na: 1\nb: 1\na: 2\nb: 2\n---\n"])
        #expect(v.note("d.md").frontmatterError?.line == 4)
        #expect(v.note("e.md").frontmatterError?.line == 4)
        #expect(v.note("d.md").frontmatterError?.message.contains("duplicate key title") == true)
    }
}
