import Testing
import VaultGenerator
@testable import VaultKit

/// The fast frontmatter reader against Yams: whatever it accepts must read exactly as Yams
/// reads it (properties, values, lines, columns, scalar sites), and it must accept the shapes
/// notes commonly have, or it would be no faster.
@Suite("Fast frontmatter reader")
struct SimpleFrontmatterTests {
    /// Yams' reading, or nil when Yams rejects the text.
    func yams(_ yaml: String) -> ([Property], [ScalarSite])? {
        var sites: [ScalarSite] = []
        guard let props = try? Frontmatter.parseWithYams(yaml, firstLine: 2, sites: &sites) else { return nil }
        return (props, sites)
    }

    func agrees(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = SimpleFrontmatter.parse(yaml, firstLine: 2) else { return false }
        let reference = yams(yaml)
        #expect(reference != nil, "accepted what Yams rejects: \(yaml.debugDescription)", sourceLocation: sourceLocation)
        #expect(fast.properties == reference?.0, "properties differ for \(yaml.debugDescription)", sourceLocation: sourceLocation)
        #expect(fast.sites == reference?.1, "sites differ for \(yaml.debugDescription)", sourceLocation: sourceLocation)
        return true
    }

    @Test("the common shapes are read fast and exactly as Yams reads them")
    func commonShapes() {
        let accepted = [
            "title: Network Nations\ntype: concept\n",
            "title: \"Coöperation 8388\"\naliases: [alias 8388, canopy seed 8388]\ntags: [topic/sub3, kind0]\n",
            "related: [note 8415 with spaces]\nup: \"[[concepts/area-30/deep-0/river-8774]]\"\n",
            "aliases:\n  - One\n  - Two\ntags:\n- a\n- b/c\n",
            "updated: 2026-02-04\nvisibility: public\n",
            "empty:\nnull: null\ntilde: ~\nlist: []\n",
            "quoted: 'it''s here'\nplain: it's fine\nurl: https://example.org/a#b\n",
            "tags: [yes, no, 1.5, true]\ntitle: 0123\n",
            "title: 菌糸 ネットワーク 🌲\naliases: [\"ä b\", 'c']\n",
            "crlf: yes\r\nmore: [a, b]\r\n",
            "Date created: 2024-01-01\nsome_key-2: value\n",
            "\n\ntitle: after blank lines\n\n",
            "",
            "related:\n  - \"[[a]]\"\n  - '[[b|B]]'\n  - c\n",
            "k: a  b   \nk2: [ x ,y ]\n",
        ]
        for yaml in accepted {
            #expect(agrees(yaml), "not accepted: \(yaml.debugDescription)")
        }
    }

    @Test("shapes it cannot read exactly go to Yams")
    func declined() {
        let declined = [
            "title: a # comment\n", "# comment\ntitle: x\n", "text: |\n  block\n", "text: >\n  folded\n",
            "map:\n  inner: 1\n", "a: &x 1\nb: *x\n", "s: \"esc\\\"aped\"\n", "t:\tx\n", "dup: 1\ndup: 2\n",
            "k: a: b\n", "k: [a, [b]]\n", "k: [a, ]\n", "k: {a: 1}\n", "k: multi\n  line\n", "- top list\n",
            "k: \"open\n", "k: - x\n", "k: !tag x\n", "k: a\u{85}b\n", "k: a\u{2028}b\n", "k: \u{FEFF}x\n",
            "k: \u{7}\n", "k: a\rb\n", "list:\n  - a\n - b\n", "list:\n  -\n", "list:\n  - a\n    more\n",
            "...\n", "%YAML 1.2\n", "k: @x\n", "k: `x`\n",
        ]
        for yaml in declined {
            #expect(SimpleFrontmatter.parse(yaml, firstLine: 2) == nil, "accepted: \(yaml.debugDescription)")
        }
    }

    @Test("a character libyaml treats specially is declined wherever it sits in a long value, sixteen-byte blocks or not")
    func specialCharacterAnywhere() {
        let specials = ["\t", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "\r", "\u{1}"]
        for special in specials {
            for at in 0..<40 {
                let value = String(repeating: "a", count: at) + special + String(repeating: "b", count: 40 - at)
                #expect(SimpleFrontmatter.parse("key: \(value)\n", firstLine: 2) == nil, "\(special.debugDescription) at \(at)")
            }
        }
        // The same places with plain text and accents are read.
        for at in 0..<40 {
            let value = String(repeating: "a", count: at) + "é菌\u{A0}" + String(repeating: "b", count: 40 - at)
            #expect(agrees("key: \(value)\nnext: x\r\n"), "at \(at)")
        }
    }

    @Test("random frontmatter: whatever the fast reader accepts, Yams reads the same way")
    func randomAgainstYams() {
        // Pieces chosen to sit on the edges of the simple shape.
        let keys = ["title", "tags", "aliases", "related", "a b", "k-1", "ü", "2024", "x.y", "_k", "k ", "K/L"]
        let values = ["plain", "two words", "a:b", "a: b", "a #b", "a#b", "yes", "~", "null", "Null", "",
                      "\"dq\"", "\"d q \" ", "'sq'", "'it''s'", "''", "\"\"", "[a, b]", "[]", "[ a , 'b' ]",
                      "[\"x\", y z]", "[a,b]", "[a, b] x", "[[link]]", "\"[[l|L]]\"", "[http://x, y]",
                      "café", "菌糸", "🌲 emoji", "-5", "- x", "? x", ":x", "x:", "[a: b]", "[a #b]",
                      "'unterminated", "\"x\" y", "a  ", "[a,]", "[,a]", "{}", "x, y", "1.5e3", "0x1F"]
        var rng = SplitMix64(seed: 7)
        var acceptedCount = 0
        for _ in 0..<3_000 {
            var yaml = ""
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let key = keys[Int(rng.next() % UInt64(keys.count))]
                switch rng.next() % 4 {
                case 0:
                    yaml += "\(key):\n"
                    let indent = String(repeating: " ", count: Int(rng.next() % 3))
                    for _ in 0..<Int(rng.next() % 3) {
                        yaml += "\(indent)- \(values[Int(rng.next() % UInt64(values.count))])\n"
                    }
                default:
                    yaml += "\(key): \(values[Int(rng.next() % UInt64(values.count))])\n"
                }
                if rng.next() % 8 == 0 { yaml += "\n" }
            }
            if agrees(yaml) { acceptedCount += 1 }
        }
        // The pieces are half awkward on purpose; still, plenty must take the fast path.
        #expect(acceptedCount > 500)
    }

    @Test("every note of the sample vault and of a generated vault takes the fast path, with Yams' reading")
    func realNotes() throws {
        let generated = VaultGenerator(.init(notes: 300, seed: 3, paragraphs: 1)).generate().files
        let sample = try Vault.load(at: SampleVaultTests.root).notes.map(\.text)
        var blocks: [String] = []
        for text in Array(generated.values) + sample {
            let bytes = Array(text.utf8)
            if let block = Frontmatter.locate(bytes, start: 0) { blocks.append(decode(bytes, block.yamlRange)) }
        }
        #expect(blocks.count > 280)
        for yaml in blocks { #expect(agrees(yaml), "declined: \(yaml.debugDescription)") }
    }
}
