import Testing
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

    @Test("#tag terms filter by tag, nested included")
    func tagTerms() {
        #expect(paths(search("#gov")) == ["network-nations.md"])
        #expect(paths(search("#matter s")) == ["writing/states-of-matter.md"])
        #expect(search("#nope").total == 0)
        #expect(search("#physics").total == 1)
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

    @Test("a cancelled search returns nothing")
    func cancel() {
        let token = CancelToken()
        token.cancel()
        #expect(NameSearcher(NameIndex(v)).search("net", limit: 5, cancel: token) == nil)
    }
}
