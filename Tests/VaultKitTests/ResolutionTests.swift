import Testing
@testable import VaultKit
import VaultGenerator

@Suite("Resolving links")
struct ResolutionTests {
    @Test("case-insensitive, Unicode-aware: Ä equals ä, NFC equals NFD")
    func caseAndNormalization() {
        let nfd = "Cafe\u{301}"  // "Café" decomposed
        let v = vault(["Äpfel.md": "", "\(nfd).md": "", "n.md": "[[äPFEL]] [[CAFÉ]] [[café]]"])
        #expect(v.targets("n.md") == ["Äpfel.md", "\(nfd).md", "\(nfd).md"])
    }

    @Test(".md is optional for notes; other files need their extension")
    func extensions() {
        let v = vault(["a.md": "", "n.md": "[[a]] [[a.md]] [[A.MD]] [[img.png]] [[img]]"], attachments: ["img.png"])
        #expect(v.targets("n.md") == ["a.md", "a.md", "a.md", "img.png", "ghost:img"])
    }

    @Test("rule 1: an exact vault path wins over a same-named file elsewhere")
    func exactPath() {
        let v = vault(["x/note.md": "", "note.md": "", "y/deep/n.md": "[[x/note]] [[note]]", "y/deep/note.md": ""])
        // [[note]] is exactly the root note.md's path: rule 1 beats the same-folder rule.
        #expect(v.targets("y/deep/n.md") == ["x/note.md", "note.md"])
    }

    @Test("./, ../ and / are relative to the source folder or the root")
    func relative() {
        let v = vault([
            "a/b/n.md": "[[./sib]] [[../up]] [[/top]] [[../../top]] [[../../../out]] [[./missing]]",
            "a/b/sib.md": "", "a/up.md": "", "top.md": "", "a/b/top.md": "",
        ])
        #expect(v.targets("a/b/n.md") == ["a/b/sib.md", "a/up.md", "top.md", "top.md", "ghost:../../../out", "ghost:./missing"])
        #expect(v.note("a/b/n.md").links[4].escapesVault)
        #expect(v.diagnostics.contains { $0.kind == .linkOutsideVault })
    }

    @Test("rule 2: a file in the source note's own folder wins")
    func sameFolder() {
        let v = vault(["p/notes.md": "", "q/notes.md": "", "q/n.md": "[[notes]]", "p/n.md": "[[notes]]"])
        #expect(v.targets("q/n.md") == ["q/notes.md"])
        #expect(v.targets("p/n.md") == ["p/notes.md"])
        #expect(!v.diagnostics.contains { $0.kind == .ambiguousLink })
    }

    @Test("rule 3: else the shortest path string; check names the others")
    func shortestPath() {
        let v = vault(["projects/mycel/notes.md": "", "projects/garden/notes.md": "", "n.md": "[[notes]]"])
        // 23 characters beat 24.
        #expect(v.targets("n.md") == ["projects/mycel/notes.md"])
        let link = v.note("n.md").links[0]
        #expect(link.alternatives == [.note(v.index("projects/garden/notes.md"))])
        #expect(v.diagnostics.contains { $0.kind == .ambiguousLink && $0.message.contains("projects/garden/notes.md") })
    }

    @Test("a path-qualified link matches a path suffix on whole segments only")
    func suffix() {
        let v = vault(["a/b/Note.md": "", "ab/Note.md": "", "n.md": "[[b/Note]] [[B/note.md]] [[a/b/Note]] [[x/b/Note]]"])
        #expect(v.targets("n.md") == ["a/b/Note.md", "a/b/Note.md", "a/b/Note.md", "ghost:x/b/note"])
    }

    @Test("an alias is not a link target, but an alias-only link is flagged")
    func aliasOnly() {
        let v = vault([
            "network-nations.md": "---\naliases: [network states]\n---\n",
            "shared1.md": "---\naliases: [twin]\n---\n", "shared2.md": "---\naliases: [Twin]\n---\n",
            "n.md": "[[Network States]] [[twin]] [[nobody]]",
        ])
        let links = v.note("n.md").links
        #expect(v.targets("n.md") == ["ghost:network states", "ghost:twin", "ghost:nobody"])
        #expect(links[0].aliasOf == v.index("network-nations.md"))
        #expect(links[1].aliasOf == nil)  // two notes carry it: not followable
        #expect(v.diagnostics.filter { $0.kind == .aliasLink }.count == 1)
        #expect(v.diagnostics.filter { $0.kind == .brokenLink }.count == 2)
    }

    @Test("ghost nodes are keyed by the lower-cased target and keep backlinks")
    func ghosts() {
        let v = vault(["a.md": "[[Future Note]] [[future note#x]]", "b.md": "---\nrelated: [FUTURE NOTE]\n---\n"])
        #expect(v.ghosts.count == 1)
        #expect(v.ghosts[0].key == "future note")
        #expect(v.ghosts[0].name == "Future Note")
        #expect(v.ghostBacklinks[0].map(\.note) == [v.index("a.md"), v.index("a.md"), v.index("b.md")])
        #expect(v.ghost(named: "FUTURE note") == 0)
    }

    @Test("backlinks keep the line and column of each link")
    func backlinkPositions() {
        let v = vault(["t.md": "", "a.md": "one\ntwo [[t]]\n  - x ![[t]]"])
        let refs = v.backlinks[v.index("t.md")]
        #expect(refs.map { v.link($0).line } == [2, 3])
        #expect(refs.map { v.link($0).column } == [5, 7])
        #expect(v.notes[refs[1].note].lineText(3) == "  - x ![[t]]")
    }

    @Test("lookup of a NOTE argument: link, title, alias, ghost, suggestions")
    func lookup() {
        let v = vault([
            "concepts/network-nations.md": "---\ntitle: Network Nations\naliases: [network states]\n---\n",
            "n.md": "[[wanted]]",
        ])
        let i = v.index("concepts/network-nations.md")
        #expect(v.lookup("network-nations") == .note(i, via: .link))
        #expect(v.lookup("network nations") == .note(i, via: .title))
        #expect(v.lookup("Network States") == .note(i, via: .alias("network states")))
        #expect(v.lookup("wanted") == .ghost(0))
        #expect(v.lookup("netwrk-nation") == .notFound(suggestions: ["concepts/network-nations"]))
    }

    @Test("the shortest path is counted in UTF-16 units, as Obsidian's JavaScript counts it")
    func shortestInUTF16() {
        // 7 characters but 8 UTF-16 units, against 8 and 8: a tie, so byte order decides.
        let emoji = vault(["a🌲/x.md": "", "abc/x.md": "", "n.md": "[[x]]"])
        #expect(emoji.targets("n.md") == ["abc/x.md"])
        // NFD é is two units: `café` in NFD ties with `cafee`, and byte order decides.
        let nfd = vault(["cafe\u{301}/y.md": "", "cafee/y.md": "", "n.md": "[[y]]"])
        #expect(nfd.targets("n.md") == ["cafee/y.md"])
        // 6 UTF-16 units against 7 (7 bytes each): counted in bytes, byte order would pick `ab`.
        let accent = vault(["é/z.md": "", "ab/z.md": "", "n.md": "[[z]]"])
        #expect(accent.targets("n.md") == ["é/z.md"])
    }

    @Test("a name's key is the same bytes exactly when Swift's strings call the folded names equal")
    func nameKeysMatchStringEquality() {
        var rng = SplitMix64(seed: 21)
        let pieces = ["a", "A", "e", "é", "E\u{301}", "e\u{301}", "\u{301}", "\u{323}", "ệ", "e\u{323}\u{302}", "e\u{302}\u{323}",
                      "한", "\u{1112}\u{1161}\u{11AB}", "Å", "\u{212B}", "K", "\u{212A}", "菌", "/", ".md", " ", "ß"]
        var names: [String] = []
        for _ in 0..<400 {
            names.append((0..<Int(rng.next() % 5 + 1)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        for a in names.prefix(120) {
            for b in names {
                #expect((Array(a.nameKey.utf8) == Array(b.nameKey.utf8)) == (a.folded == b.folded),
                        "\(a.debugDescription) \(b.debugDescription)")
            }
        }
    }

    @Test("links of ASCII and CJK ideographs (keyed on the stack) resolve as their name keys say, at the edges of the range too")
    func ideographLinksResolveByNameKey() {
        var rng = SplitMix64(seed: 44)
        // U+3FFF and U+A000 sit just outside the range keyed on the stack; U+0301 after an
        // ideograph and the Kelvin sign take the string path.
        let pieces = ["a", "B", "菌", "糸", "\u{4000}", "\u{4DC0}", "\u{9FFF}", "\u{3FFF}", "\u{A000}", "\u{301}",
                      "\u{212A}", "k", "é", "-"]
        func name() -> String {
            (0..<Int(rng.next() % 4 + 1)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
        }
        var notes: [String: String] = [:]
        var names: [String] = []
        for _ in 0..<60 {
            let n = name()
            guard !names.contains(where: { $0.nameKey == n.nameKey }) else { continue }
            notes["f/\(n).md"] = ""
            names.append(n)
        }
        var written: [String] = []
        for _ in 0..<300 {
            // A known name with some characters upper-cased, or a new name.
            let n = rng.next() % 3 == 0 ? name() : names[Int(rng.next() % UInt64(names.count))]
            written.append(n.unicodeScalars.map { rng.next() % 2 == 0 ? String($0).uppercased() : String($0) }.joined())
        }
        notes["n.md"] = written.map { "[[\($0)]]" }.joined(separator: " ")
        let v = vault(notes)
        let expected = written.map { w -> String in
            if let n = names.first(where: { $0.nameKey == w.nameKey }) { return "f/\(n).md" }
            return "ghost:" + w.folded
        }
        #expect(v.targets("n.md") == expected)
        #expect(expected.filter { !$0.hasPrefix("ghost:") }.count > 150)
    }

    @Test("the key table: the first value of a key stays, look-ups find every key and no other, and it grows past its size")
    func keyTable() {
        var arena = KeyArena(capacity: 0)
        var table = KeyTable.Builder(capacity: 2)
        var ranges: [Range<Int>] = []
        for i in 0..<1_000 {
            let r = arena.append(folded: "note \(i % 700)")
            ranges.append(r)
            #expect(table.insert(r, of: arena, value: i) == i % 700)
        }
        let empty = arena.append(folded: "")
        #expect(table.insert(empty, of: arena, value: 5_000) == 5_000)
        #expect(table.count == 701)
        let built = table.build(), keys = FixedArray(arena.bytes)
        func find(_ s: String) -> Int? {
            var s = s
            return s.withUTF8 { built.find($0, hash: $0.keyHash, in: keys) }
        }
        for i in 0..<700 { #expect(find("note \(i)") == i) }
        #expect(find("") == 5_000)
        #expect(find("note 700") == nil)
        #expect(find("note") == nil)
        #expect(find("note 10 ") == nil)
    }

    @Test("the key hash: the same bytes hash the same wherever they sit; one byte changed anywhere changes it; names spread over the slots")
    func keyHash() {
        func hash(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBufferPointer { $0.keyHash } }
        var rng = SplitMix64(seed: 3)
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // The same bytes inside a longer buffer, at an odd offset.
            let padded = [7, 7, 7] + bytes + [9]
            #expect(padded.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[3..<(3 + length)]).keyHash } == hash(bytes))
            for k in 0..<length {
                var changed = bytes
                changed[k] ^= 1 << UInt8(rng.next() % 8)
                #expect(hash(changed) != hash(bytes), "\(length) \(k)")
            }
            #expect(hash(bytes + [0]) != hash(bytes), "a zero byte more, length \(length)")
        }
        // 20,000 names like a vault's, in a table of 32,768 slots: no slot holds many (the
        // seed is random per process: a random hash puts 12 in one slot about once in ten
        // million runs).
        var slots = [Int](repeating: 0, count: 1 << 15)
        for i in 0..<20_000 {
            slots[hash(Array("concepts/area-\(i % 40)/note-\(i)".utf8)) & (slots.count - 1)] += 1
        }
        #expect(slots.max()! <= 12, "\(slots.max()!)")
        // The top bits (the slots' check is the high half) spread too.
        var checks = Set<Int>()
        for i in 0..<20_000 { checks.insert(hash(Array("n\(i)".utf8)) >> 48) }
        #expect(checks.count > 15_000)
    }
}
