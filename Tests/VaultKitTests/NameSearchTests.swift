import Testing
import VaultGenerator
@testable import VaultKit

@Suite("Name index and finder")
struct NameSearchTests {
    let v = vault([
        "network-nations.md": "---\ntitle: Network Nations\naliases: [network nation, digital nations, network states]\ntags: [governance]\n---\n",
        "concepts/networks.md": "---\ntitle: Networks\n---\n",
        "writing/states-of-matter.md": "---\ntitle: States of Matter\ntags: [physics/matter]\n---\n",
        "net.md": "",
        "daily/café-notes.md": "---\ntitle: Café Notes\n---\n",
        "places/菌糸ネットワーク.md": "---\ntitle: 菌糸ネットワーク\n---\n",
    ])

    func search(_ q: String, limit: Int = 10) -> NameSearchResult {
        NameSearcher(NameIndex(v)).search(q, limit: limit)!
    }

    func paths(_ r: NameSearchResult) -> [String] { r.matches.map { v.notes[$0.note].path } }

    @Test("\"network states\" finds Network Nations first and says it matched the alias")
    func alias() {
        let r = search("network states")
        let top = r.matches[0]
        #expect(v.notes[top.note].title == "Network Nations")
        #expect(top.field == .alias)
        #expect(top.text == "network states")
        #expect(top.positions == Array(0..<7) + Array(8..<14))
    }

    @Test("netnat finds it too; each note appears once with its best field")
    func abbreviation() {
        let r = search("netnat")
        #expect(paths(r).first == "network-nations.md")
        #expect(Set(r.matches.map(\.note)).count == r.matches.count)
    }

    @Test("titles, file names and paths are all searched")
    func fields() {
        #expect(search("concepts/net").matches.first.map { $0.field } == .path)
        #expect(search("Matter").matches.first.map { v.notes[$0.note].title } == "States of Matter")
        #expect(search("cafe").matches.first.map { $0.text } == "Café Notes")
        #expect(search("ネット").matches.first.map { $0.text } == "菌糸ネットワーク")
    }

    @Test("ties go to the shorter text")
    func ties() {
        // "net" scores the same at the start of "net", "Networks" and "Network Nations".
        let r = search("net")
        #expect(paths(r).first == "net.md")
        #expect(r.matches[0].score == r.matches[1].score)
        #expect(r.matches[0].text.count < r.matches[1].text.count)
    }

    @Test("of notes whose best names tie, the one with the shorter path comes first: readme finds the vault's own readme.md first")
    func tiesGoToTheShorterPath() {
        var files: [String: String] = ["readme.md": "the vault's own"]
        for k in 0..<60 { files["area-\(k)/deep/readme.md"] = "" }
        files["a/readme.md"] = ""
        let v = vault(files)
        let searcher = NameSearcher(NameIndex(v))
        for limit in [1, 3, 100] {
            let top = searcher.search("readme", limit: limit)!.matches.map { v.notes[$0.note].path }
            #expect(top.prefix(2) == ["readme.md", "a/readme.md"].prefix(limit), "limit \(limit)")
        }
        // Typed a character at a time, each search narrowing the last.
        var previous: NameSearchResult?
        for end in 1...6 { previous = searcher.search(String("readme".prefix(end)), limit: 2, previous: previous) }
        #expect(previous?.matches.map { v.notes[$0.note].path } == ["readme.md", "a/readme.md"])
    }

    @Test("#tag terms filter by tag, nested included")
    func tagTerms() {
        #expect(paths(search("#gov")) == ["network-nations.md"])
        #expect(paths(search("#matter s")) == ["writing/states-of-matter.md"])
        #expect(search("#nope").total == 0)
        #expect(search("#physics").total == 1)
    }

    @Test("#tag terms ignore accents and case as other terms do: #cafe finds #café, written composed or not")
    func tagTermsIgnoreAccents() {
        let v = vault([
            "a.md": "#café here",
            "b.md": "#cafe\u{301}/crème there",
            "c.md": "#Ärger",
            "d.md": "#tea",
        ])
        let searcher = NameSearcher(NameIndex(v))
        func paths(_ q: String) -> [String] { searcher.search(q, limit: 10)!.matches.map { v.notes[$0.note].path }.sorted() }
        #expect(paths("#cafe") == ["a.md", "b.md"])
        #expect(paths("#CAFÉ") == ["a.md", "b.md"])
        #expect(paths("#creme") == ["b.md"])
        #expect(paths("#arger") == ["c.md"])
        #expect(paths("!#cafe") == ["c.md", "d.md"])
        #expect("Crème Brûlée e\u{301}".searchFolded == "creme brulee e")
        #expect("菌糸 ΣΑ".searchFolded == "菌糸 σα")
    }

    @Test("a query of tags alone lists its notes by title, as the empty query does, not by the length of their names")
    func tagOnlyOrder() {
        let v = vault([
            "z.md": "---\ntitle: Zebra\ntags: [x]\n---\n",
            "a.md": "---\ntitle: Apple pie and a long title\ntags: [x, y]\n---\n",
            "m.md": "---\ntitle: mid\ntags: [x/deep]\n---\n",
            "o.md": "---\ntitle: Other\n---\n",
        ])
        let searcher = NameSearcher(NameIndex(v))
        func titles(_ q: String, limit: Int = 10) -> [String] {
            searcher.search(q, limit: limit)!.matches.map { v.notes[$0.note].title }
        }
        #expect(titles("#x") == ["Apple pie and a long title", "mid", "Zebra"])
        #expect(titles("#x", limit: 2) == ["Apple pie and a long title", "mid"])
        #expect(titles("#x !#y") == ["mid", "Zebra"])
        #expect(titles("!#x") == ["Other"])
        #expect(searcher.search("#x", limit: 10)!.total == 3)
        // A term to score brings the score order back.
        #expect(titles("#x z").first == "Zebra")
    }

    @Test("a note at the top of the vault is found by its file name with .md, as others are by their paths")
    func rootPaths() {
        #expect(search("net.md").matches.first.map { v.notes[$0.note].path } == "net.md")
        #expect(search("net.md").matches.first?.field == .path)
        #expect(search("md$", limit: 100).total == v.notes.count)
        #expect(search("!md$").total == 0)
    }

    @Test("!#tag drops the notes with that tag")
    func excludedTags() {
        #expect(!paths(search("!#gov", limit: 100)).contains("network-nations.md"))
        #expect(search("!#gov", limit: 100).total == v.notes.count - 1)
        #expect(paths(search("n !#physics", limit: 100)).contains("network-nations.md"))
        #expect(!paths(search("s !#physics", limit: 100)).contains("writing/states-of-matter.md"))
    }

    @Test("a limit far beyond the notes is as good as none (it once asked for its size in memory)")
    func hugeLimit() {
        #expect(search("n", limit: 10_000_000_000).total == search("n", limit: 100).total)
        #expect(search("n", limit: .max).matches.count == search("n", limit: 100).matches.count)
    }

    @Test("an inverse term drops notes where any name contains it")
    func inverse() {
        #expect(!paths(search("net !nations")).contains("network-nations.md"))
        #expect(paths(search("net !nations")).contains("concepts/networks.md"))
    }

    @Test("the limit keeps the best; total counts them all; empty query lists by title")
    func limit() {
        let r = search("n", limit: 2)
        #expect(r.matches.count == 2)
        #expect(r.total > 2)
        let all = search("", limit: 100)
        #expect(all.total == v.notes.count)
        #expect(all.matches.map(\.text).first == "Café Notes")
    }

    @Test("typing one character at a time gives the same results as searching afresh")
    func incremental() {
        let gen = (0..<400).map { i in "note-\(i)-\(["alpha", "beta", "gamma", "delta"][i % 4])" }
        let big = Vault.make(notes: Dictionary(uniqueKeysWithValues: gen.map { ("f\($0.count % 5)/\($0).md", "---\naliases: [al \($0)]\n---\n") }))
        let searcher = NameSearcher(NameIndex(big))
        for query in ["note 1 gam", "^note-3 del", "'alph n", "al no"] {
            var previous: NameSearchResult?
            var typed = ""
            for ch in query {
                typed.append(ch)
                let inc = searcher.search(typed, limit: 20, previous: previous)!
                let fresh = searcher.search(typed, limit: 20)!
                #expect(inc.matches == fresh.matches, "\(typed)")
                #expect(inc.total == fresh.total)
                previous = inc
            }
        }
        #expect(NameSearcher.narrows(from: "net", to: "netw"))
        #expect(NameSearcher.narrows(from: "net", to: "net sta"))
        #expect(!NameSearcher.narrows(from: "net !a", to: "net !ab"))
        #expect(!NameSearcher.narrows(from: "^", to: "^a"))
        #expect(!NameSearcher.narrows(from: "net$", to: "net$x"))
    }

    @Test("the ranking equals a plain reference ranking: every name of every note scored, nothing skipped")
    func againstReference() {
        // Many names that tie, so the shortcuts for names that cannot make the list are tested.
        let words = ["net", "network", "nations", "readme", "café", "Cafe", "area", "states", "菌糸", "n", "re"]
        var rng = SplitMix64(seed: 11)
        func word() -> String { words[Int(rng.next() % UInt64(words.count))] }
        var notes: [String: String] = [:]
        for i in 0..<600 {
            let folder = ["", "area-\(i % 7)/", "readme/deep-\(i % 3)/"][i % 3]
            let aliases = (0..<Int(rng.next() % 3)).map { _ in "\(word()) \(word())" }
            notes["\(folder)\(word())-\(word())-\(i).md"] =
                "---\ntitle: \(word()) \(word())\naliases: [\(aliases.joined(separator: ", "))]\ntags: [\(word() == "n" ? "x/y" : "z")]\n---\n"
        }
        // Names whose "n" and "w" start words a number's width apart, and end at lengths of
        // their own: for "nw" the list's last places go by the gap and then the length, and
        // the scorer may stop at the places of a name that cannot beat the worst of them.
        for i in stride(from: 1, to: 3000, by: 19) {
            let tail = String(repeating: "s", count: Int(rng.next() % 12))
            notes["note \(i) with \(tail).md"] = "---\ntitle: note \(i) with \(tail)\n---\n"
        }
        let big = Vault.make(notes: notes)
        let index = NameIndex(big)
        let searcher = NameSearcher(index)
        let matcher = FuzzyMatcher()
        for query in ["n", "ne", "net", "re", "rea", "read", "nw", "nws", "cafe", "Cafe", "菌", "a n", "'net",
                      "^re", "s$", "net !nations", "#x n", "readme details", "rea 菌",
                      // Typed, these grow a term after a case change, add terms, and grow
                      // terms of other kinds: each way a witness can carry over or not.
                      "reaD", "NeT w", "n e t", "'rea d", "^rea m", "cafe n", "net 菌糸", "r a e",
                      // No positive term at all.
                      "#x", "!nations", "!#x n", "!#z", "#z !#x"] {
            for limit in [1, 5, 50] {
                let terms = QueryParser.parse(query)
                let tags = terms.filter { $0.kind == .tag && !$0.inverse }.map { $0.text.searchFolded }
                let excluded = terms.filter { $0.kind == .tag && $0.inverse }.map { $0.text.searchFolded }
                var reference: [(score: Int32, length: Int, note: Int)] = []
                for (i, n) in big.notes.enumerated() {
                    func has(_ t: String) -> Bool { n.tags.contains { $0.searchFolded.hasPrefix(t) || $0.searchFolded.contains("/" + t) } }
                    if !tags.allSatisfy(has) || excluded.contains(where: has) { continue }
                    var names = [n.title, n.name, n.path] + n.aliases
                    var seen = Set<String>()
                    names = names.filter { !$0.isEmpty && seen.insert($0.folded).inserted }
                    let results = names.map { (matcher.match(terms, in: PreparedText($0), positions: false), $0.unicodeScalars.count) }
                    if terms.contains(where: { $0.inverse && $0.kind != .tag }), results.contains(where: { $0.0 == nil }) {
                        // An inverse term that matches any name rejects the note.
                        let inverse = terms.filter { $0.inverse && $0.kind != .tag }
                        if names.contains(where: { name in inverse.contains { matcher.match($0, in: PreparedText(name), positions: false) != nil } }) { continue }
                    }
                    guard let best = results.compactMap({ r in r.0.map { ($0.score, r.1) } })
                        .max(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 > $1.1 }) else { continue }
                    reference.append((best.0, best.1, i))
                }
                if terms.allSatisfy({ $0.inverse || $0.kind == .tag }) {
                    // Without a positive term every note scores 0 and is listed as by the
                    // empty query, by title.
                    let kept = Set(reference.map(\.note))
                    reference = index.byTitle.map(Int.init).filter(kept.contains).map { (0, 0, $0) }
                } else {
                    // Ties of score and name length go to the shorter path, then the earlier note.
                    func path(_ r: (score: Int32, length: Int, note: Int)) -> Int { big.notes[r.note].path.utf8.count }
                    reference.sort {
                        $0.score != $1.score ? $0.score > $1.score : $0.length != $1.length ? $0.length < $1.length
                            : path($0) != path($1) ? path($0) < path($1) : $0.note < $1.note
                    }
                }
                let got = searcher.search(query, limit: limit)!
                #expect(got.total == reference.count, "\(query)")
                #expect(got.matches.map(\.note) == reference.prefix(limit).map(\.note), "\(query) limit \(limit)")
                #expect(got.matches.map(\.score) == reference.prefix(limit).map(\.score), "\(query) limit \(limit)")
                // The same typed one character at a time, each search narrowing the last.
                var previous: NameSearchResult?
                var typed = ""
                for ch in query {
                    typed.append(ch)
                    previous = searcher.search(typed, limit: limit, previous: previous)
                }
                #expect(previous?.total == reference.count, "\(query) typed")
                #expect(previous?.matches.map(\.note) == reference.prefix(limit).map(\.note), "\(query) typed, limit \(limit)")
            }
        }
    }

    @Test("an index built in parts, on several cores, is the index built whole")
    func parts() {
        // Names that tie, repeat in other cases and spellings (NFC and NFD), are empty, long,
        // or not Latin, spread over notes that each part cuts at a different place.
        let words = ["net", "Network", "nations", "café", "cafe\u{301}", "CAFÉ", "菌糸", "ネット", "über", "Zeta", "ab",
                     "ab!", "abcdefgf", "abcdefge\u{301}", "abcdefgh", "", "a/b-c_d.e", "🍄 spore", "K\u{212A}"]
        var rng = SplitMix64(seed: 5)
        func word() -> String { words[Int(rng.next() % UInt64(words.count))] }
        var notes = (0..<3_001).map { i -> NameSource in
            let title = Int(rng.next() % 4) == 0 ? word() : "\(word()) \(word())"
            let folder = ["", "area/", "deep/er/"][i % 3]
            let name = "\(word())-\(i % 50)"
            return NameSource(title: title, name: name, path: "\(folder)\(name).md",
                              aliases: (0..<Int(rng.next() % 4)).map { _ in word() }, tags: [word(), "x/\(word())"])
        }
        // One alias longer than a part's first memory (256 scalars a note), so that it grows.
        notes[1_500] = NameSource(title: "Long", name: "long", path: "long.md",
                                  aliases: [String(repeating: "mycélium ", count: 30_000)], tags: [])
        let whole = NameIndex(count: notes.count, parts: 1) { [notes] in notes[$0] }
        for count in [2, 3, 7, 64] {
            let split = NameIndex(count: notes.count, parts: count) { [notes] in notes[$0] }
            #expect(split.fieldKind == whole.fieldKind, "\(count) parts")
            #expect(split.fieldText == whole.fieldText)
            #expect(split.fields.map { [Int64($0.start), Int64($0.length)] } == whole.fields.map { [Int64($0.start), Int64($0.length)] })
            #expect(split.fields.map(\.mask) == whole.fields.map(\.mask))
            #expect(split.noteInfo.map { [Int64($0.first), Int64($0.end)] } == whole.noteInfo.map { [Int64($0.first), Int64($0.end)] })
            #expect(split.noteInfo.map(\.mask) == whole.noteInfo.map(\.mask))
            #expect(split.fieldStarts.map { [$0.any, $0.white] } == whole.fieldStarts.map { [$0.any, $0.white] })
            #expect(split.noteStarts.map { [$0.any, $0.white] } == whole.noteStarts.map { [$0.any, $0.white] })
            #expect(split.shortest == whole.shortest)
            #expect(split.displayField == whole.displayField)
            #expect(split.lower == whole.lower && split.cased == whole.cased && split.bonus == whole.bonus)
            #expect(split.lower8 == whole.lower8 && split.cased8 == whole.cased8)
            #expect(split.noteTags == whole.noteTags)
            #expect(split.byTitle.count == whole.byTitle.count)
            if let k = split.byTitle.indices.first(where: { split.byTitle[$0] != whole.byTitle[$0] }) {
                let a = Int(split.byTitle[k]), b = Int(whole.byTitle[k])
                Issue.record("\(count) parts: note \(a) (\(notes[a].title.debugDescription)) or \(b) (\(notes[b].title.debugDescription)) at \(k)")
            }
        }
        // Each note's names once (by folded text), longest first, as the matcher prepares them.
        for (i, n) in notes.enumerated() {
            var seen = Set<String>()
            let names = ([n.title, n.name] + [n.path] + n.aliases).filter { !$0.isEmpty && seen.insert($0.folded).inserted }
            let expected = names.enumerated().sorted {
                $0.element.unicodeScalars.count != $1.element.unicodeScalars.count
                    ? $0.element.unicodeScalars.count > $1.element.unicodeScalars.count : $0.offset < $1.offset
            }.map(\.element)
            let info = whole.noteInfo[i]
            let fields = Int(info.first)..<Int(info.end)
            #expect(fields.map { whole.fieldText[$0] } == expected, "note \(i)")
            for f in fields {
                let prepared = PreparedText(whole.fieldText[f])
                let range = Int(whole.fields[f].start)..<Int(whole.fields[f].start + whole.fields[f].length)
                #expect(Array(whole.lower[range]) == prepared.lower && Array(whole.bonus[range]) == prepared.bonus)
            }
        }
        // The empty query lists notes by their titles' (else file names') folded scalars, equal
        // ones in note order: not by the titles' `<`, which is no order for some of these
        // names (it finds "cafe\u{301}" and "caf\u{E9} " neither equal nor ordered).
        #expect("cafe\u{301}" != "caf\u{E9} " && !("cafe\u{301}" < "caf\u{E9} ") && !("caf\u{E9} " < "cafe\u{301}"),
                "the standard library orders these now: the comment above is out of date")
        let listed = notes.map { n in PreparedText(n.title.isEmpty ? n.name : n.title).lower }
        let byTitle = listed.indices.sorted { listed[$0] != listed[$1] ? listed[$0].lexicographicallyPrecedes(listed[$1]) : $0 < $1 }
        #expect(whole.byTitle.map(Int.init) == byTitle)
        #expect(NameSearcher(whole).search("", limit: 5)!.matches.map(\.note) == Array(byTitle.prefix(5)))
    }

    @Test("a cancelled search returns nothing")
    func cancel() {
        let token = CancelToken()
        token.cancel()
        #expect(NameSearcher(NameIndex(v)).search("net", limit: 5, cancel: token) == nil)
    }
}
