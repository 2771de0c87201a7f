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

    /// The byte searches skim for the query's rarest byte; they find what a plain
    /// left-to-right search of each line finds, overlaps and all.
    @Test("an ASCII or caseless query finds what a plain search of each line finds")
    func asciiEqualsPlainSearch() {
        let pieces = ["a", "A", "aa", "ab", "AB", "b", "z", "Z", "zz", " ", "\n", "\r\n", "-", "é", "日"]
        var rng = SplitMix64(seed: 7)
        func text(_ n: Int) -> String { (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        var notes: [String: String] = [:]
        for i in 0..<40 { notes["n\(i).md"] = text(Int(rng.next() % 60)) }
        let v = vault(notes)
        func plain(_ q: String, _ note: Note) -> [String] {
            let needle = Array(q.lowercased().utf8)
            var out: [String] = []
            for (n, line) in note.text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                let bytes = line.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
                var columns: [String] = [], i = 0
                while i + needle.count <= bytes.count {
                    if Array(bytes[i..<(i + needle.count)]) == needle {
                        columns.append("\(String(decoding: bytes[..<i], as: UTF8.self).unicodeScalars.count + 1)+\(q.unicodeScalars.count)")
                        i += needle.count
                    } else {
                        i += 1
                    }
                }
                if !columns.isEmpty { out.append("\(n + 1):" + columns.joined(separator: ",")) }
            }
            return out
        }
        var found = 0
        for _ in 0..<200 {
            // Letters take the ASCII path; the rest (CJK, `-`) the one without case.
            let words = ["a", "b", "z", "A", "Z", " ", "-", "ab", "日", "日-"]
            let query = (0..<(1 + Int(rng.next() % 3))).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined()
            guard !query.allSatisfy({ $0 == " " }) else { continue }
            for (i, n) in v.notes.enumerated() {
                let hits = FullTextNeedle(query).search(n, index: i).map { h in
                    "\(h.line):" + h.columns.map { "\($0.column)+\($0.length)" }.joined(separator: ",")
                }
                #expect(hits == plain(query, n), "\(query.debugDescription) in \(n.text.debugDescription)")
                found += hits.count
            }
        }
        #expect(found > 100)
    }

    /// ASCII and Latin-1 are folded without the Unicode properties: the answers are the
    /// properties' own (a one-scalar lower-case mapping, else the scalar itself).
    @Test func foldingWithoutPropertiesAgreesWithThem() {
        for v in UInt32(0)...0x2FF {
            let u = Unicode.Scalar(v)!
            let m = u.properties.lowercaseMapping.unicodeScalars
            let expected = m.count == 1 ? m.first!.value : v
            #expect(MentionSearch.foldScalar(u) == expected, "U+\(String(v, radix: 16))")
        }
    }
}
