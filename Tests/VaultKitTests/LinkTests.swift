import Testing
import VaultGenerator
@testable import VaultKit

@Suite("Links in the body")
struct LinkTests {
    @Test("wikilink parts: target, subpath, display; trimmed; embeds; single line")
    func parts() {
        let v = vault(["n.md": "[[ a#Sec | Shown ]] ![[a]] [[a\nb]] [[]] [[a|x|y]]", "a.md": "# Sec"])
        let l = v.note("n.md").links
        #expect(l.count == 3)
        #expect(l[0].target == "a#Sec")
        #expect(l[0].path == "a")
        #expect(l[0].subpath == ["Sec"])
        #expect(l[0].display == "Shown")
        #expect(l[0].kind == .wikilink)
        #expect(l[1].kind == .embed && l[1].isEmbed)
        #expect(l[1].column == 21)
        #expect(l[2].display == "x|y")
    }

    @Test("a table writes the pipe as \\|")
    func escapedPipe() {
        let v = vault(["t.md": "| a | b |\n|---|---|\n| [[concepts/commons\\|Commons]] | x |", "concepts/commons.md": ""])
        let l = v.note("t.md").links[0]
        #expect(l.target == "concepts/commons")
        #expect(l.display == "Commons")
        #expect(v.targets("t.md") == ["concepts/commons.md"])
    }

    @Test("self heading links, heading links, block links, chained headings")
    func subpaths() {
        let v = vault([
            "n.md": "# Top\n[[#Top]] [[t#Part One]] [[t#^blk]] [[t#Part One#Inner]] [[t#Inner]] [[t#Nope]] [[t#^none]] [[t#Part One#Other]]",
            "t.md": "# Part One\ntext ^blk\n## Inner\n# Other",
        ])
        let l = v.note("n.md").links
        #expect(l[0].destination == .note(v.index("n.md")))
        #expect(l[0].path.isEmpty && l[0].subpath == ["Top"])
        #expect(l[1].subpathFound)
        #expect(l[2].blockReference == "blk" && l[2].subpathFound)
        #expect(l[3].subpath == ["Part One", "Inner"] && l[3].subpathFound)
        #expect(l[4].subpathFound)
        #expect(!l[5].subpathFound)
        #expect(!l[6].subpathFound)
        #expect(!l[7].subpathFound)  // Other is not under Part One
        let kinds = v.diagnostics.map(\.kind)
        #expect(kinds.filter { $0 == .missingHeading }.count == 2)
        #expect(kinds.filter { $0 == .missingBlock }.count == 1)
    }

    @Test("heading links match after folding case and punctuation")
    func headingFolding() {
        let v = vault(["n.md": "[[t#what is it  anyway]] [[t#Café: Über]]", "t.md": "## What is it? (Anyway)\n# café — über"])
        #expect(v.note("n.md").links.allSatisfy { $0.subpathFound })
    }

    @Test("Markdown links: percent-decoded, <angle> form, external schemes kept apart")
    func markdownLinks() {
        let v = vault([
            "n.md": """
            [one](folder/My%20Note.md) [two](<folder/My Note.md>) [three](folder/My%20Note.md#Part "title")
            ![img](pic.png) [web](https://example.com/a#b) [mail](mailto:x@example.com) [self](#Local)
            [broken](nowhere.md)
            """,
            "folder/My Note.md": "# Part", "pic.png": "",
        ], attachments: ["pic.png"])
        let n = v.note("n.md")
        #expect(n.links.map(\.kind).allSatisfy { $0 == .markdown })
        #expect(v.targets("n.md") == ["folder/My Note.md", "folder/My Note.md", "folder/My Note.md", "pic.png", "n.md", "ghost:nowhere.md"])
        #expect(n.links[2].subpath == ["Part"])
        #expect(n.links[3].isEmbed)
        #expect(n.externalLinks.map(\.url) == ["https://example.com/a#b", "mailto:x@example.com"])
    }

    @Test("nothing counts inside code, comments, HTML or math; callouts count")
    func masking() {
        let text = """
        ```
        [[fenced]] #fencedtag
        ```
        ~~~~ python
        [[tilde]]
        ~~~~

            [[indented]] #indented

        `[[inline]]` ``[[double `tick`]]`` %% [[comment]] %% <!-- [[html]] -->
        %%
        [[multi-comment]]
        %%
        <!--
        [[multi-html]]
        -->

        <div>
        [[in-div]]
        </div>

        $[[math]]$ and $$[[display]]$$ and costs $5 and $10 [[after-dollars]]
        $$
        [[math-block]]
        $$
        > [!note] Title
        > [[in-callout]] #calloutTag
        - item
            - [[nested-list-item]]
        [[visible]] %% hidden %% [[also-visible]]
        """
        let v = vault(["n.md": text])
        #expect(v.note("n.md").links.map(\.target) == ["after-dollars", "in-callout", "nested-list-item", "visible", "also-visible"])
        #expect(v.tags("n.md") == ["calloutTag"])
    }

    @Test("indented text inside a list is the list's, and indented code after the list ends is code; setext headings and block ids on letter lines")
    func listsEndAndLetterLines() {
        let text = """
        - item

            [[in-list]]

        para after the list

            [[in-code]]

        Title [[t]]
        ===
        plain line ^blk
        """
        let v = vault(["n.md": text])
        #expect(v.note("n.md").links.map(\.target) == ["in-list", "t"])
        #expect(v.note("n.md").headings.map(\.text) == ["Title [[t]]"])
        #expect(v.note("n.md").blockIDs.map(\.id) == ["blk"])
    }

    @Test("an unclosed fence hides the rest of the note")
    func unclosedFence() {
        let v = vault(["n.md": "[[before]]\n```\n[[after]]\n"])
        #expect(v.note("n.md").links.map(\.target) == ["before"])
    }

    @Test("links keep their line and column (columns count Unicode scalars)")
    func positions() {
        let v = vault(["n.md": "---\ntitle: x\n---\nfirst\n日本語 [[a]]\n"])
        let l = v.note("n.md").links[0]
        #expect(l.line == 5)
        #expect(l.column == 5)
    }

    @Test("heading keys: the shortcut for ASCII headings folds exactly as the Unicode rule does")
    func headingFoldShortcut() {
        var rng = SplitMix64(seed: 5)
        let pieces = ["A", "z", "Q", "0", "9", " ", "  ", "-", "_", "#", "!", "(", ")", ".", "/", "'", "~", "\t", "Ab", "x1"]
        for _ in 0..<3_000 {
            let text = (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(HeadingMatch.foldASCII(text) == HeadingMatch.foldUnicode(text), "\(text.debugDescription)")
        }
        #expect(HeadingMatch.foldASCII("Café") == nil)
        #expect(HeadingMatch.fold("Über  den Fluss!") == "über den fluss")
    }

    @Test("the shortcut for letters of common scripts: every scalar it passes is alphabetic, and it passes exactly its listed ranges")
    func commonLetters() {
        for v in UInt32(0)...0x2FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let listed = HeadingMatch.commonLetterRanges.contains { $0.contains(v) }
            #expect(HeadingMatch.isCommonLetter(v) == listed, "U+\(String(v, radix: 16))")
            if listed { #expect(u.properties.isAlphabetic, "U+\(String(v, radix: 16))") }
        }
    }

    @Test("a heading is matched to a link's folded key without folding it first, exactly as folding it and comparing would")
    func headingFoldsToKey() {
        var rng = SplitMix64(seed: 9)
        let pieces = ["A", "a", "b", "0", " ", "  ", "-", "!", "\t", "é", "É", "e\u{301}", "菌", "Ab", "a b"]
        func random() -> String { (0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        for _ in 0..<5_000 {
            let text = random()
            // Half the keys are the text's own fold, so both answers are exercised.
            let key = rng.next() % 2 == 0 ? HeadingMatch.fold(text) : HeadingMatch.fold(random())
            let heading = Heading(level: 1, text: text, line: 1)
            #expect(HeadingMatch.folds(heading, to: key) == (HeadingMatch.fold(text) == key), "\(text.debugDescription) \(key.debugDescription)")
        }
        func folds(_ text: String, _ key: String) -> Bool { HeadingMatch.folds(Heading(level: 1, text: text, line: 1), to: key) }
        #expect(folds("Details 419", "details 419"))
        #expect(!folds("Details 419", "details 41"))
        #expect(!folds("Details", "details 419"))
        #expect(folds("Über  den Fluss!", "über den fluss"))
        #expect(folds("  -- Lead and trail --  ", "lead and trail"))
    }

    @Test("folding a name for comparison is exactly Swift's lower-casing, on any script")
    func foldedIsLowercased() {
        var rng = SplitMix64(seed: 9)
        let pieces = ["a", "Z", "é", "É", "İ", "ß", "ẞ", "Σ", "ς", "Ǆ", "ǅ", "菌", "🌲", "Ω", "K", "ﬃ", " ", "-", "Ⅻ", "Ａ", "\u{301}"]
        for _ in 0..<3_000 {
            let text = (0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(text.folded == text.lowercased(), "\(text.debugDescription)")
        }
    }

    @Test("folding is lower-casing for every scalar of the first two planes, alone and among others; the caseless blocks have no case")
    func foldedEveryScalar() {
        var caselessBlocks = 0
        for v in UInt32(0)..<0x20000 {
            if String.caseless(v) && !String.caseless(v &- 1) { caselessBlocks += 1 }
            guard let u = Unicode.Scalar(v) else { continue }
            if String.caseless(v) { #expect(!u.properties.changesWhenLowercased, "U+\(String(v, radix: 16))") }
            let s = String(Character(u))
            #expect(s.folded == s.lowercased(), "U+\(String(v, radix: 16))")
            let t = "Ab" + s + s + "é"
            #expect(t.folded == t.lowercased(), "U+\(String(v, radix: 16))")
        }
        #expect(caselessBlocks == 3)
    }

    @Test("a name folds to a lower-case ASCII word exactly when its folded copy equals it")
    func foldsToWord() {
        for (name, word) in [("Tags", "tags"), ("TAGS", "tags"), ("tags", "tags"), ("tag", "tags"), ("tagss", "tags"),
                             ("Related", "related"), ("re-lated", "related"), ("", "tags"), ("\u{212A}ey", "key"),
                             ("KEY", "key"), ("kéy", "key"), ("Ttle", "title"), ("TITLE", "title"), ("é", "key"),
                             ("ké", "key"), ("\u{37E}", ";"), ("\u{212A}", "k")] {
            #expect(name.folds(to: word) == (name.folded == word), "\(name) \(word)")
        }
        #expect("\u{212A}ey".folds(to: "key"))
        // `folds(to:)` relies on these: a name outside ASCII can equal an ASCII word only by
        // being longer in bytes. The Kelvin sign is the only scalar outside ASCII that
        // lower-cases to ASCII; and a scalar whose NFC is ASCII (the Greek question mark is
        // `;`) is longer than what it equals.
        let toASCII = (UInt32(0x80)...0x10FFFF).filter { v in
            // A scalar that does not change when lower-cased is its own lower case: not ASCII.
            guard let u = Unicode.Scalar(v), u.properties.changesWhenLowercased else { return false }
            return u.properties.lowercaseMapping.utf8.allSatisfy { $0 < 0x80 }
        }
        #expect(toASCII == [0x212A])
        // (Canonical decompositions stop at plane 2.)
        for v in UInt32(0x80)...0x2FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let s = String(Character(u)), nfc = s._nfcCodeUnits
            if nfc.allSatisfy({ $0 < 0x80 }) { #expect(s.utf8.count > nfc.count, "U+\(String(v, radix: 16))") }
        }
    }

    @Test("the byte tests on names (a pair of bytes, a .md ending) agree with reading byte by byte")
    func byteTests() {
        var rng = SplitMix64(seed: 11)
        let pieces = ["[", "[[", "]", "a", "é", ".", "md", "MD", ".mD", "菌", "x", ".md"]
        for _ in 0..<3_000 {
            let text = (0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let b = Array(text.utf8)
            let pair = b.indices.dropFirst().contains { b[$0 - 1] == 0x5B && b[$0] == 0x5B }
            #expect(text.utf8.containsPair(0x5B, 0x5B) == pair, "\(text)")
            #expect(text.utf8.hasMDSuffix == text.lowercased().hasSuffix(".md"), "\(text)")
        }
    }

    @Test("the vector search for one of five bytes finds what a byte-by-byte search finds, at any offset and length")
    func firstOfFive() {
        var rng = SplitMix64(seed: 13)
        let alphabet: [UInt8] = [0x61, 0x62, 0x20, 0xC3, 0xA9, 0x5B, 0x5D, 0x7C, 0x0A, 0x0D]
        for _ in 0..<3_000 {
            let bytes = (0..<Int(rng.next() % 70)).map { _ in rng.next() % 6 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : 0x61 }
            let from = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            let end = from + (bytes.count > from ? Int(rng.next() % UInt64(bytes.count - from + 1)) : 0)
            let naive = (from..<end).first { [0x0A, 0x0D, 0x5B, 0x5D, 0x7C].contains(bytes[$0]) } ?? end
            #expect(firstOf(bytes, from: from, end: end, 0x0A, 0x0D, 0x5B, 0x5D, 0x7C) == naive, "\(bytes) \(from) \(end)")
        }
    }

    @Test("the vector count of a byte, or of scalar starts, is a byte-by-byte count, at any offset and length")
    func countOfBytes() {
        var rng = SplitMix64(seed: 17)
        let alphabet: [UInt8] = [0x0A, 0x61, 0xC3, 0xA9, 0xE8, 0x8F, 0x8C, 0x20]
        // Up to 9,000 bytes: several rounds of 255 vectors, whose lanes may each reach 255.
        for length in [0, 1, 15, 16, 17, 31, 4_080, 4_096, 9_000] + (0..<300).map({ _ in Int(rng.next() % 200) }) {
            let bytes = (0..<length).map { _ in length > 4_000 ? 0x0A : alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let from = bytes.count > 4_000 || bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            let end = bytes.count > 4_000 ? bytes.count : from + (bytes.count > from ? Int(rng.next() % UInt64(bytes.count - from + 1)) : 0)
            bytes.withUnsafeBufferPointer { b in
                #expect(countBytes(b, from..<end, equalTo: 0x0A) == bytes[from..<end].filter { $0 == 0x0A }.count)
                #expect(countBytes(b, from..<end, scalarStarts: true) == bytes[from..<end].filter { $0 & 0xC0 != 0x80 }.count)
            }
        }
    }

    @Test("the UTF-8 check agrees with the standard library on every two-byte sequence, every three-byte one with a multi-byte lead, the four-byte leads, and random bytes at every offset in a word")
    func utf8Check() {
        func agrees(_ bytes: [UInt8]) -> Bool {
            let ours = utf8String(bytes)
            let theirs = String(validating: bytes, as: UTF8.self)
            return ours == theirs && ours.map { Array($0.utf8) == bytes } ?? true
        }
        var failures = 0
        for a in 0...255 {
            for b in 0...255 {
                if !agrees([UInt8(a), UInt8(b)]) { failures += 1 }
                for c in stride(from: 0, through: 255, by: (0xE0...0xF4).contains(a) ? 1 : 51) where !agrees([UInt8(a), UInt8(b), UInt8(c)]) {
                    failures += 1
                }
            }
        }
        for a in 0xF0...0xF7 {
            for b in 0...255 {
                for c: UInt8 in [0x80, 0xBF, 0x7F, 0xC0] {
                    for d: UInt8 in [0x80, 0xBF, 0x7F, 0xC0] where !agrees([UInt8(a), UInt8(b), c, d]) { failures += 1 }
                }
            }
        }
        #expect(failures == 0)
        var rng = SplitMix64(seed: 14)
        let pieces: [[UInt8]] = [[0x61], [0x20], [0xC3, 0xA9], [0xE8, 0x8F, 0x8C], [0xF0, 0x9F, 0x8C, 0xB2], [0x80], [0xC0, 0xAF],
                                 [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE8, 0x8F], [0xF0, 0x9F], [0xFF], [0xEF, 0xBB, 0xBF]]
        for _ in 0..<20_000 {
            let pad = Array(repeating: UInt8(0x61), count: Int(rng.next() % 17))
            let bytes = pad + (0..<Int(rng.next() % 12)).flatMap { _ in
                rng.next() % 3 == 0 ? pieces[Int(rng.next() % UInt64(pieces.count))] : [0x61]
            }
            #expect(agrees(bytes), "\(bytes)")
        }
    }

    @Test("a line found by walking on from an earlier one is the line the search finds, offsets in order or not")
    func lineCursor() {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<200 {
            let bytes = (0..<Int(rng.next() % 120)).map { _ in rng.next() % 5 == 0 ? UInt8(0x0A) : UInt8(0x61) }
            let lines = LineIndex(bytes)
            var cursor = 0
            var offsets = (0..<10).map { _ in Int(rng.next() % UInt64(bytes.count + 1)) }
            if rng.next() % 2 == 0 { offsets.sort() }
            for o in offsets {
                #expect(lines.line(of: o, cursor: &cursor) == lines.line(of: o), "\(bytes) \(o)")
                #expect(cursor == lines.line(of: o))
            }
        }
    }

    @Test("the set of folded names answers as a hash set would, below and past the point where it starts hashing")
    func foldedNameSet() {
        var rng = SplitMix64(seed: 15)
        for count in [0, 1, 5, 16, 17, 18, 40, 200] {
            var ours = FoldedNameSet(capacity: count), reference = Set<String>()
            for _ in 0..<count {
                let key = "tag\(rng.next() % UInt64(max(count / 2, 1)))"
                #expect(ours.insert(key) == reference.insert(key).inserted, "\(count) \(key)")
            }
        }
        // Text outside ASCII, in either normalisation, and texts that share bytes but not length.
        let keys = ["café", "cafe\u{301}", "cafe", "caf", "菌糸", "菌", "", "e\u{301}", "é", "ab", "abc"]
        for count in [4, 11, 30] {
            var ours = FoldedNameSet(capacity: count), reference = Set<String>()
            for _ in 0..<count {
                let key = keys[Int(rng.next() % UInt64(keys.count))]
                #expect(ours.insert(key) == reference.insert(key).inserted, "\(count) \(key.debugDescription)")
            }
        }
        let text = "---\ntags: [" + (0..<30).map { "t\($0 % 20)" }.joined(separator: ", ") + "]\naliases: [A, a, B, b]\n---\n"
        let v = vault(["n.md": text])
        #expect(v.note("n.md").tags == (0..<20).map { "t\($0)" })
        #expect(v.note("n.md").aliases == ["A", "B"])
    }

    @Test("many context lines in one pass are the lines one by one; a path with spaces is found as written")
    func lineTextsAndLookup() {
        let text = "---\ntitle: T\n---\none\r\ntwo\n\nfour [[x]]\nlast"
        let v = vault(["n.md": text, "  spaced  .md": "s"])
        let n = v.note("n.md")
        let all = Set(0...12)
        let got = n.lineTexts(all)
        // The reference: the file split at line feeds, a CR before one dropped.
        let lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map { bytes in
            String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes, as: UTF8.self)
        }
        for line in 1...12 {
            #expect(got[line] == (line <= lines.count ? lines[line - 1] : nil), "line \(line)")
            #expect(n.lineText(line) == (line <= lines.count ? lines[line - 1] : ""), "line \(line)")
        }
        #expect(got[4] == "one")
        #expect(v.lookup("  spaced  ") == .note(v.index("  spaced  .md"), via: .link))
        #expect(v.lookup("  spaced  .md") == .note(v.index("  spaced  .md"), via: .link))
    }

    @Test("a block id at the end of a line that starts with a comment is still a block id")
    func blockAfterComment() {
        let v = vault(["n.md": "%% note to self %% the claim ^claim\n\n```\ncode ^nope\n```\n", "a.md": "[[n#^claim]] [[n#^nope]]"])
        #expect(v.note("n.md").blockIDs.map(\.id) == ["claim"])
        #expect(v.note("a.md").links.map(\.subpathFound) == [true, false])
    }
}
