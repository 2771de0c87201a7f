import Foundation

/// A deterministic generator of synthetic vaults and their ground truth. The truth comes from
/// how the generator builds each note, never from VaultKit, so tests can compare the two.
/// The benchmarks use the same generator for their 10k and 100k vaults.
public struct VaultGenerator {
    /// Bumped whenever the output changes, so cached benchmark vaults are made anew.
    public static let version = 2

    public struct Options: Sendable {
        public var notes: Int
        public var seed: UInt64
        /// Paragraphs of filler text per note, to give notes a realistic size.
        public var paragraphs: Int
        public init(notes: Int, seed: UInt64 = 42, paragraphs: Int = 3) {
            self.notes = notes
            self.seed = seed
            self.paragraphs = paragraphs
        }
    }

    /// What a generated note must turn out to contain.
    public struct NoteTruth: Codable, Sendable, Equatable {
        public var path: String
        public var title: String
        public var aliases: [String]
        /// Tags, lower-cased, de-duplicated, sorted.
        public var tags: [String]
        /// Each link: its kind and the path it must resolve to (nil: unresolved).
        public var links: [LinkTruth]
    }

    public struct LinkTruth: Codable, Sendable, Equatable, Hashable {
        public var written: String
        public var kind: String
        public var to: String?
        /// For unresolved links that name an alias: the path of the note carrying it.
        public var aliasOf: String?

        public init(written: String, kind: String, to: String?, aliasOf: String? = nil) {
            self.written = written
            self.kind = kind
            self.to = to
            self.aliasOf = aliasOf
        }
    }

    public struct Truth: Codable, Sendable {
        public var notes: [NoteTruth]
        public var attachments: [String]
        /// Backlinks per note path: the paths of linking notes, one per link, sorted.
        public var backlinks: [String: [String]]
    }

    public let options: Options
    public init(_ options: Options) { self.options = options }

    private struct Plan {
        var path: String
        var id: String
        var folder: String
        var name: String
        var title: String
        var aliases: [String]
        var headings: [String]
    }

    /// Generates the vault: file contents by vault path, attachment paths, and the truth.
    public func generate() -> (files: [String: String], attachments: [String], truth: Truth) {
        var rng = SplitMix64(seed: options.seed)
        let n = max(options.notes, 4)
        let folders = Self.folders(count: max(4, n / 40))
        let attachments = (0..<max(1, n / 50)).map { "assets/image-\($0).png" }

        // Plan every note first so links can name any of them.
        var plans: [Plan] = []
        plans.reserveCapacity(n)
        for i in 0..<n {
            // Two families of repeated names: `readme` (one at the root, so a bare
            // `[[readme]]` is an exact path) and `index` (never at the root, so the
            // same-folder and shortest-path rules decide). Each family uses distinct folders.
            var folder = i == 0 ? "" : folders[Int(rng.next() % UInt64(folders.count))]
            var name: String
            if i % 97 == 0 {
                name = "readme"
                if i > 0 { folder = folders[(i / 97) % folders.count] }
            } else if i % 89 == 1 {
                name = "index"
                folder = folders[(i / 89 + folders.count / 2) % folders.count]
            }
            else if i % 11 == 0 { name = "note \(i) with spaces" }
            else if i % 13 == 0 { name = "菌糸-\(i)" }
            else { name = "\(Self.words[i % Self.words.count])-\(i)" }
            let id = folder.isEmpty ? name : folder + "/" + name
            let title: String
            if i % 17 == 0 { title = "ネットワーク \(i) 🌱" } else { title = "\(Self.words[(i * 7) % Self.words.count].capitalized) \(i)" }
            // Aliases read like names people give notes ("network states 12"), so finder
            // queries typed in the benchmark have real work to do.
            let phrase = "\(Self.words[(i / 3) % Self.words.count]) \(Self.words[(i / 7 + 5) % Self.words.count])"
            let aliases = i % 3 == 0 ? ["alias \(i)", "\(phrase) \(i)"] : []
            plans.append(Plan(path: id + ".md", id: id, folder: folder, name: name, title: title,
                              aliases: aliases, headings: ["Overview", "Details \(i)"]))
        }
        // How a bare `[[index]]` resolves, by the rules: same folder, else shortest path.
        let indexNotes = plans.filter { $0.name == "index" }
        let shortestIndex = indexNotes.min { a, b in
            a.path.count != b.path.count ? a.path.count < b.path.count : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
        }?.path
        let indexByFolder = Dictionary(indexNotes.map { ($0.folder, $0.path) }, uniquingKeysWith: { a, _ in a })

        var files: [String: String] = [:]
        var truths: [NoteTruth] = []
        truths.reserveCapacity(n)
        var backlinks: [String: [String]] = [:]

        for i in 0..<n {
            let p = plans[i]
            var links: [LinkTruth] = []
            var tags = Set<String>()
            var body = ""
            var fm = "---\ntitle: \"\(p.title)\"\n"
            if !p.aliases.isEmpty { fm += "aliases: [\(p.aliases.joined(separator: ", "))]\n" }
            let fmTags = ["topic/sub\(i % 5)", "kind\(i % 4)"]
            fm += "tags: [\(fmTags.joined(separator: ", "))]\n"
            tags.formUnion(fmTags.map { $0.lowercased() })

            func target(_ k: UInt64) -> Int { Int((UInt64(i) &+ 1 &+ k) % UInt64(n)) }
            // Frontmatter links: `related` by name, a property holding a wikilink.
            let r = target(rng.next() % 50)
            if plans[r].name != "readme" && plans[r].name != "index" {
                fm += "related: [\(plans[r].name)]\n"
                links.append(LinkTruth(written: plans[r].name, kind: "frontmatter", to: plans[r].path))
            }
            let u = target(rng.next() % 500)
            fm += "up: \"[[\(plans[u].id)]]\"\n"
            links.append(LinkTruth(written: plans[u].id, kind: "frontmatter", to: plans[u].path))
            fm += "---\n"

            body += "# \(p.title)\n\n## Overview\n\n"
            let linkCount = 3 + Int(rng.next() % 6)
            for k in 0..<linkCount {
                let t = target(rng.next() % UInt64(min(n - 1, 2000)) + UInt64(k))
                let tp = plans[t]
                let form = rng.next() % 8
                var text: String
                var truth: LinkTruth
                let expected: String
                // How a bare name resolves, by construction.
                if tp.name == "readme" {
                    expected = plans[0].path  // `readme` is exactly the root note's path
                } else if tp.name == "index" {
                    expected = indexByFolder[p.folder] ?? shortestIndex!
                } else {
                    expected = tp.path
                }
                switch form {
                case 0:
                    text = "[[\(tp.name)]]"
                    truth = LinkTruth(written: tp.name, kind: "wikilink", to: expected)
                case 1:
                    text = "[[\(tp.id)|\(tp.title)]]"
                    truth = LinkTruth(written: tp.id, kind: "wikilink", to: tp.path)
                case 2:
                    text = "[[\(tp.name)#Overview]]"
                    truth = LinkTruth(written: tp.name + "#Overview", kind: "wikilink", to: expected)
                case 3:
                    text = "![[\(tp.id)#Details \(t)]]"
                    truth = LinkTruth(written: tp.id + "#Details \(t)", kind: "embed", to: tp.path)
                case 4:
                    let encoded = tp.path.replacingOccurrences(of: " ", with: "%20")
                    text = "[\(tp.title)](\(encoded))"
                    truth = LinkTruth(written: tp.path, kind: "markdown", to: tp.path)
                case 5:
                    text = "[[\(tp.id).md]]"
                    truth = LinkTruth(written: tp.id + ".md", kind: "wikilink", to: tp.path)
                case 6 where !tp.aliases.isEmpty:
                    let alias = tp.aliases[0]
                    text = "[[\(alias)]]"
                    truth = LinkTruth(written: alias, kind: "wikilink", to: nil, aliasOf: tp.path)
                default:
                    text = "[[\(tp.name)|see this]]"
                    truth = LinkTruth(written: tp.name, kind: "wikilink", to: expected)
                }
                links.append(truth)
                body += "Thinking about \(text) leads somewhere \(Self.words[(i + k) % Self.words.count]).\n"
            }
            if i % 5 == 0 {
                let missing = "missing-\(i % 23)"
                body += "\nThis wants [[\(missing)]] to exist.\n"
                links.append(LinkTruth(written: missing, kind: "wikilink", to: nil))
            }
            if i % 7 == 0, !attachments.isEmpty {
                let a = attachments[i % attachments.count]
                body += "\n![[\(a.split(separator: "/").last!)]]\n"
                links.append(LinkTruth(written: String(a.split(separator: "/").last!), kind: "embed", to: a))
            }
            // Inline tags: nested, CJK, emoji; and things that look like tags but are not.
            let inline = ["area\(i % 7)", "ecology/fungi/f\(i % 3)", "タグ\(i % 3)"]
            body += "\nTagged #\(inline[0]) and #\(inline[1]) and #\(inline[2]), not foo#bar nor #1984 nor (#no).\n"
            tags.formUnion(inline.map { $0.lowercased() })

            body += "\n## Details \(i)\n\n"
            for para in 0..<options.paragraphs {
                body += Self.paragraph(&rng, i + para) + "\n\n"
            }
            // Decoys: nothing in code, comments or math counts.
            body += "```\n[[decoy-fenced-\(i)]] #decoy-tag\n```\n\n"
            body += "Inline `[[decoy-inline]]` and %% [[decoy-comment]] #decoy %% and <!-- [[decoy-html]] --> and $[[decoy-math]]$.\n"
            files[p.path] = fm + body
            for l in links {
                if let to = l.to, to.hasSuffix(".md") { backlinks[to, default: []].append(p.path) }
            }
            truths.append(NoteTruth(path: p.path, title: p.title, aliases: p.aliases, tags: tags.sorted(), links: links))
        }
        for k in backlinks.keys { backlinks[k]!.sort() }
        return (files, attachments, Truth(notes: truths, attachments: attachments, backlinks: backlinks))
    }

    /// Writes the vault into `folder` (created if needed) with its truth in
    /// `.mycel-truth.json` (a hidden file, so the vault scan skips it).
    @discardableResult
    public func write(to folder: String) throws -> Truth {
        let (files, attachments, truth) = generate()
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (path, text) in files {
            let full = folder + "/" + path
            try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for a in attachments {
            let full = folder + "/" + a
            try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(png).write(to: URL(fileURLWithPath: full))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(truth).write(to: URL(fileURLWithPath: folder + "/.mycel-truth.json"))
        return truth
    }

    static func folders(count: Int) -> [String] {
        var out: [String] = []  // distinct folders, so repeated names never share one
        let top = ["garden", "projects", "people", "places", "journal", "concepts", "读书", "archive"]
        var k = 0
        while out.count < count {
            let a = top[k % top.count]
            let b = "area-\(k / top.count)"
            let folder = k % 3 == 0 ? a : k % 3 == 1 ? a + "/" + b : a + "/" + b + "/deep-\(k % 5)"
            if !out.contains(folder) { out.append(folder) }
            k += 1
        }
        return out
    }

    static func paragraph(_ rng: inout SplitMix64, _ salt: Int) -> String {
        var s = ""
        let count = 40 + Int(rng.next() % 40)
        for w in 0..<count {
            if w > 0 { s += " " }
            s += words[Int((rng.next() &+ UInt64(salt)) % UInt64(words.count))]
        }
        return s + "."
    }

    static let words = [
        "mycelium", "network", "commons", "soil", "governance", "river", "protocol", "garden", "memory",
        "citizen", "bioregion", "ledger", "trust", "signal", "spore", "forest", "treaty", "archive",
        "council", "seed", "root", "canopy", "weave", "sensing", "identity", "exchange", "harvest",
        "watershed", "assembly", "mutual", "café", "naïve", "über", "façade", "coöperation", "states",
        "nations",
    ]
}

extension VaultGenerator {
    /// YAML lines whose aliases expand to 9^9 (387 million) values, "billion laughs": for
    /// tests that a reader refuses it instead of expanding it. Put it between `---` fences.
    public static let billionLaughs: String = {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for (k, prev) in zip(["b", "c", "d", "e", "f", "g", "h", "i"], ["a", "b", "c", "d", "e", "f", "g", "h"]) {
            yaml += "\(k): &\(k) [" + Array(repeating: "*\(prev)", count: 9).joined(separator: ", ") + "]\n"
        }
        return yaml
    }()
}

/// SplitMix64: a small, fast, well-distributed deterministic generator.
public struct SplitMix64: Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
