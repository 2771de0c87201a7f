import Testing
@testable import VaultKit

@Suite("Tags")
struct TagTests {
    @Test("a tag starts at a line start or after whitespace (tab, U+00A0, U+3000 too)")
    func starts() {
        let v = vault(["n.md": "#a x\t#b y\u{A0}#c z\u{3000}#d (#no) foo#bar \\#esc"])
        #expect(v.tags("n.md") == ["a", "b", "c", "d"])
    }

    @Test("a tag ends at whitespace, punctuation and the general punctuation blocks")
    func ends() {
        let v = vault(["n.md": "#one, #two. #three! #four's #five—dash #six\u{2E2E}x #se_v-en/8 #a[b] #emoji🌱 #日本語"])
        #expect(v.tags("n.md") == ["one", "two", "three", "four", "five", "six", "se_v-en/8", "a", "emoji🌱", "日本語"])
    }

    @Test("frontmatter tags lose their leading #s, whole characters only: a # that a mark joins stays")
    func frontmatterHashes() {
        let v = vault(["n.md": "---\ntags: [\"#a\", \"##b\", \"#\u{FE0F}\u{20E3}\", \"#\u{301}x\"]\n---\n"])
        #expect(v.note("n.md").tags == ["a", "b", "#\u{FE0F}\u{20E3}", "#\u{301}x"])
    }

    @Test("a tag needs a character that is not a digit")
    func digits() {
        let v = vault(["n.md": "#1984 #y1984 #2024-01 #123/456"])
        #expect(v.tags("n.md") == ["y1984", "2024-01", "123/456"])
    }

    @Test("headings are not tags; tags in link text count, in URLs and link targets not")
    func headingsAndLinks() {
        let v = vault(["n.md": "# Heading\n## Two\n[[x| #shown]] [[y #heading]] [a #b](https://e.com/#frag) https://e.com/ #after"])
        #expect(v.tags("n.md") == ["shown", "b", "after"])
    }

    @Test("tags compare case-insensitively and show the casing first seen")
    func casing() {
        let v = vault(["a.md": "#Garden", "b.md": "#garden #GARDEN"])
        #expect(v.tagTree.children.map(\.path) == ["Garden"])
        #expect(v.tagTree.children[0].count == 2)
        #expect(v.tags("b.md") == ["garden"])
    }

    @Test("spellings of one tag in other normal forms are one tag, in a note and in the tree")
    func normalForms() {
        // "Café" composed and decomposed, "グ" composed and as ク and its sound mark; the
        // tree sorts its children by folded name: "café" then "タグ".
        let v = vault([
            "a.md": "#Caf\u{E9} #\u{30BF}\u{30B0}",
            "b.md": "#cafe\u{301} #CAF\u{C9} #\u{30BF}\u{30AF}\u{3099} #caf",
            "c.md": "---\ntags: [\"CAFE\u{301}\", \"\u{30BF}\u{30AF}\u{3099}\"]\n---\n#caf\u{E9}",
        ])
        #expect(v.tags("b.md") == ["cafe\u{301}", "\u{30BF}\u{30AF}\u{3099}", "caf"])
        #expect(v.tags("c.md") == ["CAFE\u{301}", "\u{30BF}\u{30AF}\u{3099}"])
        #expect(v.tagTree.children.map(\.path) == ["caf", "Caf\u{E9}", "\u{30BF}\u{30B0}"])
        #expect(v.tagTree.find("caf\u{E9}")?.notes == [0, 1, 2])
        #expect(v.tagTree.find("\u{30BF}\u{30AF}\u{3099}")?.count == 3)
        #expect(v.tagTree.find("caf")?.notes == [1])
    }

    @Test("nested tags count at every level; the tree finds notes under a tag")
    func nested() {
        let v = vault([
            "a.md": "#ecology/fungi/mycorrhiza",
            "b.md": "---\ntags: [ecology/soil]\n---\n",
            "c.md": "#ecology #ecology/fungi",
            "d.md": "#other",
        ])
        let eco = v.tagTree.find("#Ecology")!
        #expect(eco.count == 3)
        #expect(eco.children.map(\.name) == ["fungi", "soil"])
        #expect(eco.find("fungi")?.count == 2)
        #expect(v.tagTree.find("ecology/fungi/mycorrhiza")?.count == 1)
        #expect(eco.allNotes == [0, 1, 2])
        #expect(eco.notes == [2])
        #expect(v.tagTree.find("nope") == nil)
    }

    @Test("a note's tags are its frontmatter tags then its body tags")
    func frontmatterThenBody() {
        let v = vault(["n.md": "---\ntags: [one, two]\n---\n#three #one"])
        #expect(v.tags("n.md") == ["one", "two", "three"])
        #expect(v.note("n.md").tagOccurrences.map(\.inFrontmatter) == [true, true, false, false])
    }
}

@Suite("Headings and block ids")
struct HeadingTests {
    @Test("ATX and setext headings; none inside code; closing hashes dropped")
    func headings() {
        let v = vault(["n.md": "# One #\n####### seven\n#nospace\nTitle\n=====\n\nSub\n---\n```\n# code\n```\n      # indented"])
        let h = v.note("n.md").headings
        #expect(h.map(\.text) == ["One", "Title", "Sub"])
        #expect(h.map(\.level) == [1, 1, 2])
        #expect(h.map(\.line) == [1, 4, 7])
    }

    @Test("block ids end a paragraph or list item, or stand alone after a block")
    func blockIDs() {
        let v = vault(["n.md": "A paragraph. ^para-1\n\n- item ^item2\n\n^own-line\n\nnot^glued\n`code ^inline`\n![[img.png]]^after-embed"])
        #expect(v.note("n.md").blockIDs.map(\.id) == ["para-1", "item2", "own-line", "after-embed"])
    }
}

@Suite("Unlinked mentions")
struct MentionTests {
    @Test("whole words, case-insensitive, title and aliases; not in code, comments or links")
    func mentions() {
        let v = vault([
            "network-nations.md": "---\ntitle: Network Nations\naliases: [network states]\n---\n",
            "a.md": "Some NETWORK NATIONS here.\n`network nations` %% network states %%\n[[network-nations|Network Nations]]\nnetwork statesman and the network states.",
            "b.md": "[[network-nations]] only",
        ])
        let m = v.unlinkedMentions(of: v.index("network-nations.md"))
        #expect(m.map(\.line) == [1, 4])
        #expect(m.map(\.term) == ["Network Nations", "network states"])
        #expect(m[0].column == 6)
        #expect(m[1].column == 27)
        #expect(m[1].context == "network statesman and the network states.")
    }

    @Test("scripts without spaces match as exact substrings; accented letters fold")
    func unicode() {
        let v = vault([
            "菌糸.md": "---\naliases: [ÉCOLE]\n---\n",
            "a.md": "これは菌糸のネットワークです。\nl'école est là; écoles no.",
        ])
        let m = v.unlinkedMentions(of: v.index("菌糸.md"))
        #expect(m.map(\.line) == [1, 2])
        #expect(m[0].column == 4)
        #expect(m[1].column == 3)
    }
}
