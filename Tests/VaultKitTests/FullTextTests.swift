import Testing
import VaultGenerator
@testable import VaultKit

@Suite("Full-text search")
struct FullTextTests {
    let v = vault([
        "a.md": "---\ntitle: Notes on soil\ntags: [mutual]\n---\nMutual aid and MUTUAL AID.\nnothing here\n日本語の菌糸ネットワーク、菌糸。\n",
        "b.md": "L'ÉCOLE est fermée; l'école rouvre.\nmutual\naid (not a phrase across lines)\n",
        "c.md": "---\ntitle: Mutual aid, a primer\n---\nNo match in this body except one mutual aid.\n",
    ])

    func where_(_ q: String) -> [String] {
        v.grep(q).map { "\(v.notes[$0.note].path):\($0.line):\($0.columns.map { "\($0.column)+\($0.length)" }.joined(separator: ","))" }
    }

    @Test("case-insensitive phrase search with line and column ranges")
    func phrase() {
        #expect(where_("mutual aid") == ["c.md:4:34+10", "a.md:5:1+10,16+10"])
    }

    @Test("the frontmatter is not searched; notes with the text in the title come first")
    func bodyAndTitle() {
        #expect(where_("tags").isEmpty)
        #expect(v.grep("mutual aid").first?.inTitle == true)
    }

    @Test("any script: CJK finds CJK; non-ASCII letters fold case")
    func scripts() {
        #expect(where_("菌糸") == ["a.md:7:5+2,14+2"])
        #expect(where_("école") == ["b.md:1:3+5,23+5"])
        #expect(where_("ÉCOLE") == ["b.md:1:3+5,23+5"])
    }

    @Test("the context is the whole line; the limit stops early")
    func context() {
        let h = v.grep("rouvre")
        #expect(h.first?.text == "L'ÉCOLE est fermée; l'école rouvre.")
        #expect(v.grep("mutual", limit: 2).count == 2)
        #expect(v.grep("").isEmpty)
    }

    // Found by fuzzing (Tests/Fuzz/regressions/grep-query-with-line-break): a query starting
    // with a line break matched at the end of a line and looped, growing without end.
    @Test("a text with a line break finds nothing, since hits are lines")
    func lineBreakInQuery() {
        let v = vault(["a.md": "one\ntwo\n"])
        #expect(v.grep("\ntwo").isEmpty)
        #expect(v.grep("one\r").isEmpty)
        #expect(v.grep("two").count == 1)
    }

    @Test("a query with accents finds what the scalar-by-scalar search finds, through its ASCII anchor")
    func anchoredEqualsReference() {
        let pieces = ["é", "É", "e", "a", "aa", "caf", "CAF", "café", "Café", "K", "k", "\u{212A}", "x", " ", "\n", "ä", "cafe\u{301}"]
        var rng = SplitMix64(seed: 21)
        func text(_ n: Int) -> String { (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        var notes: [String: String] = [:]
        for i in 0..<200 { notes["n\(i).md"] = text(Int(rng.next() % 40)) }
        let v = vault(notes)
        var compared = 0
        for _ in 0..<300 {
            let query = text(1 + Int(rng.next() % 4))
            let fast = FullTextNeedle(query), slow = FullTextNeedle(query, anchored: false)
            guard fast.anchor != nil || query.contains("é") else { continue }
            for (i, n) in v.notes.enumerated() {
                #expect(fast.search(n, index: i) == slow.search(n, index: i), "\(query.debugDescription) in \(n.text.debugDescription)")
            }
            if fast.anchor != nil { compared += 1 }
        }
        #expect(compared > 50)
        // The letters a non-ASCII scalar folds to are exactly the ones kept out of anchors.
        var intoASCII = Set<UInt32>()
        for v in UInt32(0x80)...0x1FFFF {
            if let u = Unicode.Scalar(v), MentionSearch.foldScalar(u) < 0x80 { intoASCII.insert(MentionSearch.foldScalar(u)) }
        }
        #expect(intoASCII.isSubset(of: FullTextNeedle.foldedIntoFromOutsideASCII), "\(intoASCII)")
        // KELVIN SIGN folds to k, so `k` never anchors: the sign is still found.
        let kelvin = vault(["t.md": "bake at 300 \u{212A}é"])
        #expect(kelvin.grep("ké").count == 1)
        #expect(vault(["c.md": "le CAFÉ et le café"]).grep("café").first?.columns.count == 2)
    }
}
