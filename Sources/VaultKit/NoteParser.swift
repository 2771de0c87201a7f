// Turns the bytes of one note into everything the graph needs: properties, aliases, tags,
// links (raw, before resolution), headings and block ids. Pure function of the bytes, so
// notes parse in parallel.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

private let lbracket = UInt8(ascii: "["), rbracket = UInt8(ascii: "]")
private let lparen = UInt8(ascii: "("), rparen = UInt8(ascii: ")")
private let pipe = UInt8(ascii: "|"), hash = UInt8(ascii: "#"), bslash = UInt8(ascii: "\\")
private let excl = UInt8(ascii: "!"), caret = UInt8(ascii: "^"), sp = UInt8(ascii: " ")
private let tb = UInt8(ascii: "\t"), langle = UInt8(ascii: "<"), rangle = UInt8(ascii: ">")

/// A heading of a note.
public struct Heading: Sendable, Equatable {
    public let level: Int
    public let text: String
    public let line: Int
    /// The text folded for matching heading links when it is not all ASCII (nil when it
    /// is): made here, once, since folding text in other scripts is dear; ASCII headings
    /// are folded only when a link names them (`HeadingMatch.folds`).
    let unicodeKey: String?

    init(level: Int, text: String, line: Int) {
        self.level = level
        self.text = text
        self.line = line
        var copy = text
        let ascii = copy.withUTF8 { b in !b.contains { $0 >= 0x80 } }
        self.unicodeKey = ascii ? nil : HeadingMatch.foldUnicode(text)
    }
}

/// A block id (`^id`) and the line it was written on.
public struct BlockID: Sendable, Equatable {
    public let id: String
    public let line: Int
}

/// A tag written in a note (frontmatter or body), without the `#`.
public struct TagOccurrence: Sendable, Equatable {
    public let name: String
    /// One-based line; frontmatter tags carry the line of the `tags` key.
    public let line: Int
    public let column: Int
    public let inFrontmatter: Bool
}

/// A link to something outside the vault (`https:`, `mailto:` ...).
public struct ExternalLink: Sendable, Equatable {
    public let url: String
    public let text: String
    public let isEmbed: Bool
    public let line: Int
    public let column: Int
}

/// Everything read from one note file, before links are resolved.
struct ParsedNote: Sendable {
    var properties: [Property] = []
    var frontmatterError: FrontmatterError?
    var hasFrontmatter = false
    var hasBOM = false
    var invalidUTF8 = false
    var hasNUL = false
    var title: String?
    var aliases: [String] = []
    var tags: [TagOccurrence] = []
    var links: [Link] = []
    var externalLinks: [ExternalLink] = []
    var headings: [Heading] = []
    var blockIDs: [BlockID] = []
    var text: String = ""
    var bodyStartLine = 1
    /// Byte positions for renderers; only collected when asked for.
    var marks: SourceMarks?
}

/// Where the parts a reader must treat specially sit in a note's bytes: what the renderer
/// needs so that the links it shows are exactly the links the graph holds.
public struct SourceMarks: Sendable, Equatable {
    /// A body link: its index in `Note.links` and the bytes it covers (`!` of an embed included).
    public struct LinkMark: Sendable, Equatable {
        public let index: Int
        public let range: Range<Int>
    }
    public internal(set) var links: [LinkMark] = []
    /// Body tags, `#` included.
    public internal(set) var tags: [Range<Int>] = []
    /// `%% comments %%`, delimiters included.
    public internal(set) var comments: [Range<Int>] = []
    /// Block ids (`^id`), from the caret to the end of the id.
    public internal(set) var blockIDs: [Range<Int>] = []
    /// `==highlights==`, delimiters included.
    public internal(set) var highlights: [Range<Int>] = []
    /// Byte where the body starts (after any frontmatter and byte-order mark).
    public internal(set) var bodyStart = 0

    public init() {}
}

extension Note {
    /// For the fuzzer: the check that decides whether a note's bytes are valid UTF-8 gives
    /// the standard library's answer.
    public static func utf8CheckAgreesWithStandardLibrary(_ bytes: [UInt8]) -> Bool {
        (utf8String(bytes) != nil) == (String(validating: bytes, as: UTF8.self) != nil)
    }

    /// For the fuzzer: parsing notes one after another through one reused scratch (as each
    /// task of a load does) gives each what a parse of its own gives.
    public static func reusedParseAgrees(_ notes: [[UInt8]]) -> Bool {
        let scratch = ParseScratch()
        for bytes in notes + notes.reversed() {
            let reused = NoteParser.parse(bytes, marks: true, scratch: scratch)
            let fresh = NoteParser.parse(bytes, marks: true)
            guard reused.hasFrontmatter == fresh.hasFrontmatter, reused.hasBOM == fresh.hasBOM,
                  reused.invalidUTF8 == fresh.invalidUTF8, reused.hasNUL == fresh.hasNUL,
                  reused.frontmatterError == fresh.frontmatterError,
                  reused.links == fresh.links, reused.tags == fresh.tags, reused.headings == fresh.headings,
                  reused.blockIDs == fresh.blockIDs, reused.externalLinks == fresh.externalLinks,
                  reused.properties == fresh.properties, reused.aliases == fresh.aliases, reused.title == fresh.title,
                  reused.marks == fresh.marks, reused.text == fresh.text, reused.bodyStartLine == fresh.bodyStartLine
            else { return false }
        }
        return true
    }

    /// The note's bytes and the positions of its links, tags, comments, block ids and
    /// highlights, found by the same parser that built the graph.
    public func sourceMarks() -> (bytes: [UInt8], marks: SourceMarks) {
        let bytes = Array(text.utf8)
        return (bytes, NoteParser.parse(bytes, marks: true).marks ?? SourceMarks())
    }
}

/// Memory one task of the load reuses from note to note while it reads and parses them
/// (each of the parse's tasks, 32 a core, and the early reader has one): the file's bytes
/// and the parse's working arrays, allocated as they grow to the largest note the task
/// meets instead of once per note. Never shared between threads.
final class ParseScratch {
    /// The file being parsed (`Scanner.read` fills it).
    var bytes: [UInt8] = []
    fileprivate(set) var lineStarts: [Int] = []
    fileprivate(set) var flags: [UInt8] = []
    /// What the parse finds, gathered here and moved into the note's arrays at the end.
    fileprivate var found = ParseFound()

    init() {}

    deinit { found.free() }
}

/// What one parse gathers: each list grows in the task's memory (kept from note to note) and
/// is moved into an array of exactly its length when the note is done, so a note's lists are
/// allocated once each instead of growing by doubling (under callgrind, growing was about 6%
/// of a load's instructions; allocating once costs less than half of that).
struct ParseFound {
    var links = ScratchList<Link>()
    var externalLinks = ScratchList<ExternalLink>()
    var tags = ScratchList<TagOccurrence>()
    var headings = ScratchList<Heading>()
    var blockIDs = ScratchList<BlockID>()

    /// Moves everything gathered into `note`, leaving the lists empty.
    mutating func move(into note: inout ParsedNote) {
        note.links = links.take()
        note.externalLinks = externalLinks.take()
        note.tags = tags.take()
        note.headings = headings.take()
        note.blockIDs = blockIDs.take()
    }

    mutating func free() {
        links.free(); externalLinks.free(); tags.free(); headings.free(); blockIDs.free()
    }
}

/// A list appended to in place and emptied by moving its elements into an array of exactly
/// their count (`take`), its memory kept for the next use. A plain value holding a pointer:
/// copies share the memory, so exactly one copy is used at a time and its owner calls `free`.
struct ScratchList<T> {
    private var base: UnsafeMutablePointer<T>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    @inline(__always) mutating func append(_ element: T) {
        if count == capacity { grow() }
        (base! + count).initialize(to: element)
        count += 1
    }

    private mutating func grow() {
        let larger = max(16, capacity * 2)
        let memory = UnsafeMutablePointer<T>.allocate(capacity: larger)
        if let base {
            memory.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = memory
        capacity = larger
    }

    /// The elements, moved (not copied) into a new array; the list is left empty.
    mutating func take() -> [T] {
        guard count > 0, let base else { return [] }
        defer { count = 0 }
        return [T](moving: base, count: count)
    }

    /// Destroys what is left and gives the memory back.
    mutating func free() {
        guard let base else { return }
        base.deinitialize(count: count)
        base.deallocate()
        self = ScratchList()
    }
}

/// What `array` held, leaving it empty, so the caller holds the only reference.
@inline(__always) private func take<T>(_ array: inout [T]) -> [T] {
    var out: [T] = []
    swap(&out, &array)
    return out
}

enum NoteParser {
    static func parse(_ bytes: [UInt8], marks: Bool = false, scratch: ParseScratch = ParseScratch()) -> ParsedNote {
        var note = ParsedNote()
        // Used as a local (the scratch's copy shares its memory) and handed back at the end.
        var found = scratch.found
        if marks { note.marks = SourceMarks() }
        if let text = utf8String(bytes) {
            note.text = text
        } else {
            note.invalidUTF8 = true
            note.text = String(decoding: bytes, as: UTF8.self)
        }
        note.hasNUL = bytes.withUnsafeBufferPointer { b in b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false }
        let start = bomLength(bytes)
        note.hasBOM = start > 0
        let lines = LineIndex(bytes, reusing: take(&scratch.lineStarts))
        var bodyStart = start
        if let block = Frontmatter.locate(bytes, start: start) {
            note.hasFrontmatter = true
            bodyStart = block.bodyStart
            // The simple shapes most notes use are read from the bytes (when they are valid
            // UTF-8) without first making a string of the block; the rest through Yams.
            let simple = note.invalidUTF8 ? nil : bytes.withUnsafeBufferPointer { b in
                SimpleFrontmatter.parse(UnsafeBufferPointer(rebasing: b[block.yamlRange]), firstLine: block.firstLine)
            }
            do {
                var sites: [ScalarSite] = []
                if let simple {
                    note.properties = simple.properties
                    sites = simple.sites
                } else {
                    note.properties = try Frontmatter.parseWithYams(decode(bytes, block.yamlRange), firstLine: block.firstLine,
                                                                    sites: &sites)
                }
                readProperties(&note, &found)
                frontmatterLinks(sites, &found)
            } catch {
                note.frontmatterError = error
            }
        }
        note.bodyStartLine = lines.line(of: bodyStart) + 1
        var mask = MaskBuilder.build(bytes, bodyStart: bodyStart, lines: lines, reusing: take(&scratch.flags))
        scanLinks(bytes, lines, &mask, &note, &found)
        scanTags(bytes, lines, mask, &note, &found)
        scanLines(bytes, lines, mask, bodyStart: bodyStart, &note, &found)
        if note.marks != nil {
            note.marks?.bodyStart = bodyStart
            collectMarks(bytes, lines, mask, bodyStart: bodyStart, &note)
        }
        found.move(into: &note)
        scratch.found = found
        scratch.lineStarts = lines.starts
        scratch.flags = mask.flags
        return note
    }

    /// Comment runs and `==highlight==` pairs (one line each, outside code and links).
    private static func collectMarks(_ b: [UInt8], _ lines: LineIndex, _ mask: BodyMask, bodyStart: Int,
                                     _ note: inout ParsedNote) {
        var i = bodyStart
        while i < b.count {
            guard mask.flags[i] & BodyMask.comment != 0 else { i += 1; continue }
            var j = i
            while j < b.count, mask.flags[j] & BodyMask.comment != 0 { j += 1 }
            note.marks?.comments.append(i..<j)
            i = j
        }
        let equals = UInt8(ascii: "=")
        let blocked = BodyMask.hidden | BodyMask.linkSyntax
        for n in lines.line(of: bodyStart)..<lines.starts.count {
            let r = lines.range(ofLine: n, in: b)
            var open: Int?
            var k = r.lowerBound
            while k + 1 < r.upperBound {
                guard b[k] == equals, b[k + 1] == equals, mask.flags[k] & blocked == 0,
                      k == r.lowerBound || b[k - 1] != bslash else { k += 1; continue }
                if let o = open {
                    if b[k - 1] != sp, b[k - 1] != tb {
                        note.marks?.highlights.append(o..<(k + 2))
                        open = nil
                    }
                    k += 2
                } else if k + 2 < r.upperBound, b[k + 2] != sp, b[k + 2] != tb, b[k + 2] != equals {
                    open = k
                    k += 2
                } else {
                    k += 2
                }
            }
        }
    }

    /// 3 when the bytes start with a UTF-8 byte-order mark, else 0.
    static func bomLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    // MARK: Properties

    private static func readProperties(_ note: inout ParsedNote, _ found: inout ParseFound) {
        // The first property of each name (`aliases` before `alias`, `tags` before `tag`),
        // found in one pass over the keys. A key outside ASCII folds to one of these ASCII
        // names only through a scalar that lowers to ASCII letters alone, and the only one is
        // the Kelvin sign (to `k`, which none of the names has; U+0130 lowers to `i` and a
        // combining dot), so a key folds to a name only at its length, looked at first.
        var title: Int?, aliases: Int?, alias: Int?, tags: Int?, tag: Int?
        for i in note.properties.indices {
            let key = note.properties[i].key
            switch key.utf8.count {
            case 3: if tag == nil, key.folds(to: "tag") { tag = i }
            case 4: if tags == nil, key.folds(to: "tags") { tags = i }
            case 5:
                if title == nil, key.folds(to: "title") { title = i }
                else if alias == nil, key.folds(to: "alias") { alias = i }
            case 7: if aliases == nil, key.folds(to: "aliases") { aliases = i }
            default: break
            }
        }
        func property(_ index: Int?, or other: Int? = nil) -> Property? {
            (index ?? other).map { note.properties[$0] }
        }
        if let t = property(title)?.value.text, !t.isEmpty { note.title = t }

        if let p = property(aliases, or: alias) {
            let items: [PropertyValue]
            if case let .list(l) = p.value { items = l } else { items = [p.value] }
            note.aliases.reserveCapacity(items.count)
            var seen = FoldedNameSet(capacity: items.count)
            for item in items {
                guard let s = item.text?.trimmingSpaces, !s.isEmpty, seen.insert(s.folded) else { continue }
                note.aliases.append(s)
            }
        }

        if let p = property(tags, or: tag) {
            var names: [String] = []
            switch p.value {
            case let .list(items):
                names.reserveCapacity(items.count)
                for item in items where item.isString {
                    guard let s = item.text?.trimmingSpaces else { continue }
                    if s.containsByte(0x20) || s.containsByte(0x09) { continue }
                    names.append(s)
                }
            case .scalar:
                if let s = p.value.text {
                    names = s.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
                }
            default: break
            }
            for var name in names {
                while name.hasPrefix("#") { name.removeFirst() }
                guard !name.isEmpty else { continue }
                found.tags.append(TagOccurrence(name: name, line: p.line, column: 1, inFrontmatter: true))
            }
        }

    }

    /// Links in frontmatter: every string with `[[...]]`, at any depth (Obsidian 1.4+); and the
    /// plain names of `related` (its own value or its list items).
    private static func frontmatterLinks(_ sites: [ScalarSite], _ found: inout ParseFound) {
        for site in sites {
            if site.text.utf8.containsPair(lbracket, lbracket) {
                wikilinks(inProperty: site, &found)
            } else if site.depth <= 1, site.key.utf8.count == 7, site.key.folds(to: "related") {  // no `k`: see readProperties
                let name = site.text.trimmingSpaces
                guard !name.isEmpty else { continue }
                found.links.append(Link(kind: .frontmatter, target: name, display: nil, isEmbed: false,
                                        line: site.line, column: site.column, property: site.key))
            }
        }
    }

    private static func wikilinks(inProperty site: ScalarSite, _ found: inout ParseFound) {
        let b = Array(site.text.utf8)
        var i = 0
        while i + 1 < b.count {
            if b[i] == lbracket, b[i + 1] == lbracket, let w = parseWikilink(b, i, b.count) {
                let embed = i > 0 && b[i - 1] == excl
                let start = embed ? i - 1 : i
                // Columns are exact for one-line scalars, the usual case.
                let column = site.column + (site.quoted ? 1 : 0) + scalarCount(b, 0..<start)
                found.links.append(Link(kind: .frontmatter, target: w.target(b), display: w.display(b), isEmbed: embed,
                                        line: site.line, column: column, property: site.key))
                i = w.end
            } else {
                i += 1
            }
        }
    }

    // MARK: Links

    /// Where a wikilink's parts are; their strings are made only for a link that counts.
    struct RawWikilink {
        var target: Range<Int>    // trimmed, not empty
        var display: Range<Int>?  // trimmed
        var end: Int              // byte after `]]`
        var targetEnd: Int        // byte where the target part ends (at `|` or `]]`)

        func target(_ b: [UInt8]) -> String { decode(b, target) }
        func display(_ b: [UInt8]) -> String? { display.map { decode(b, $0) } }
    }

    /// Parses `[[target|display]]` whose `[[` is at `i`; single line, first `|` splits (a `\`
    /// before it, as written in tables, is dropped).
    static func parseWikilink(_ b: [UInt8], _ i: Int, _ end: Int) -> RawWikilink? {
        var j = i + 2
        var pipeAt: Int?
        while j + 1 < end {
            // Sixteen bytes at a time up to the next byte that matters here.
            j = firstOf(b, from: j, end: end - 1, 0x0A, 0x0D, lbracket, rbracket, pipe)
            guard j + 1 < end else { break }
            let c = b[j]
            if c == 0x0A || c == 0x0D { return nil }
            if c == lbracket, b[j + 1] == lbracket { return nil }
            if c == rbracket, b[j + 1] == rbracket { break }
            if c == pipe, pipeAt == nil { pipeAt = j }
            j += 1
        }
        guard j + 1 < end, b[j] == rbracket, b[j + 1] == rbracket else { return nil }
        var targetEnd = pipeAt ?? j
        let splitAt = targetEnd
        if pipeAt != nil, targetEnd > i + 2, b[targetEnd - 1] == bslash { targetEnd -= 1 }
        let target = trimmed(b, (i + 2)..<targetEnd)
        guard !target.isEmpty else { return nil }
        return RawWikilink(target: target, display: pipeAt.map { trimmed(b, ($0 + 1)..<j) }, end: j + 2, targetEnd: splitAt)
    }

    static func scanLinks(_ b: [UInt8], _ lines: LineIndex, _ mask: inout BodyMask, _ note: inout ParsedNote,
                                  _ found: inout ParseFound) {
        let n = b.count
        var cursor = 0
        var i = nextByte(b, lbracket, from: 0)
        while i < n {
            guard !mask.isHidden(i) else { i = nextByte(b, lbracket, from: i + 1); continue }
            if i > 0, b[i - 1] == bslash { i = nextByte(b, lbracket, from: i + 1); continue }
            let embed = i > 0 && b[i - 1] == excl && !mask.isHidden(i - 1)
            let start = embed ? i - 1 : i
            if i + 1 < n, b[i + 1] == lbracket {
                if let w = parseWikilink(b, i, n), !mask.anyHidden(i..<w.end) {
                    let pos = lines.position(of: start, in: b, cursor: &cursor)
                    note.marks?.links.append(.init(index: found.links.count, range: start..<w.end))
                    found.links.append(Link(kind: embed ? .embed : .wikilink, target: w.target(b), display: w.display(b),
                                            isEmbed: embed, line: pos.line, column: pos.column, property: nil))
                    mask.set(start..<w.end, BodyMask.linkSpan)
                    mask.set(i..<w.targetEnd, BodyMask.linkSyntax)
                    i = nextByte(b, lbracket, from: w.end)
                } else {
                    i = nextByte(b, lbracket, from: i + 2)
                }
                continue
            }
            if let m = parseMarkdownLink(b, i, n, mask) {
                let pos = lines.position(of: start, in: b, cursor: &cursor)
                mask.set(start..<m.end, BodyMask.linkSpan)
                mask.set(m.destStart..<m.end, BodyMask.linkSyntax)
                if let url = m.url {
                    found.externalLinks.append(ExternalLink(url: url, text: m.text, isEmbed: embed,
                                                            line: pos.line, column: pos.column))
                } else if let target = m.target {
                    note.marks?.links.append(.init(index: found.links.count, range: start..<m.end))
                    found.links.append(Link(kind: .markdown, target: target, display: m.text, isEmbed: embed,
                                            line: pos.line, column: pos.column, property: nil))
                }
                // Continue inside the text so a link in the text (rare) is still seen.
                i = nextByte(b, lbracket, from: m.textEnd)
                continue
            }
            i = nextByte(b, lbracket, from: i + 1)
        }
    }

    struct RawMarkdownLink {
        var text: String
        var target: String?   // internal destination, percent-decoded
        var url: String?      // external destination
        var textEnd: Int
        var destStart: Int
        var end: Int
    }

    /// Parses `[text](dest "title")` starting at the `[` at `i`, on one line.
    static func parseMarkdownLink(_ b: [UInt8], _ i: Int, _ end: Int, _ mask: BodyMask) -> RawMarkdownLink? {
        var depth = 0
        var j = i
        while j < end {
            let c = b[j]
            if c == 0x0A { return nil }
            if c == bslash { j += 2; continue }
            if c == lbracket { depth += 1 }
            if c == rbracket { depth -= 1; if depth == 0 { break } }
            j += 1
        }
        guard j + 1 < end, b[j] == rbracket, b[j + 1] == lparen, !mask.isHidden(j + 1) else { return nil }
        let textEnd = j
        let text = decode(b, (i + 1)..<textEnd)
        var k = j + 2
        while k < end, b[k] == sp || b[k] == tb { k += 1 }
        var dest: String
        if k < end, b[k] == langle {
            let ds = k + 1
            while k < end, b[k] != rangle, b[k] != 0x0A { k += 1 }
            guard k < end, b[k] == rangle else { return nil }
            dest = decode(b, ds..<k)
            k += 1
        } else {
            let ds = k
            var parens = 0
            while k < end {
                let c = b[k]
                if c == sp || c == tb || c == 0x0A || c == 0x0D { break }
                if c == bslash { k += 2; continue }
                if c == lparen { parens += 1 }
                if c == rparen { if parens == 0 { break }; parens -= 1 }
                k += 1
            }
            k = min(k, end)
            dest = decode(b, ds..<k)
        }
        // Optional title, then `)`.
        while k < end, b[k] == sp || b[k] == tb { k += 1 }
        if k < end, b[k] == UInt8(ascii: "\"") || b[k] == UInt8(ascii: "'") {
            let q = b[k]
            k += 1
            while k < end, b[k] != q, b[k] != 0x0A { k += 1 }
            guard k < end, b[k] == q else { return nil }
            k += 1
            while k < end, b[k] == sp || b[k] == tb { k += 1 }
        }
        guard k < end, b[k] == rparen else { return nil }
        let linkEnd = k + 1
        guard !dest.isEmpty else { return nil }
        if hasScheme(dest) {
            return RawMarkdownLink(text: text, target: nil, url: dest, textEnd: textEnd, destStart: j + 1, end: linkEnd)
        }
        return RawMarkdownLink(text: text, target: percentDecode(dest), url: nil, textEnd: textEnd,
                               destStart: j + 1, end: linkEnd)
    }

    /// `scheme:` per RFC 3986 (letter, then letters, digits, `+ - .`), at least two letters
    /// so a Windows drive letter is not taken for one.
    static func hasScheme(_ s: String) -> Bool {
        var count = 0
        for c in s.utf8 {
            if c == UInt8(ascii: ":") { return count >= 2 }
            if count == 0 ? !isASCIIAlpha(c) : !(isASCIIAlnum(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")) {
                return false
            }
            count += 1
        }
        return false
    }

    // MARK: Tags

    /// Scalars that end a tag: ASCII punctuation other than `_ - /`, and the general and
    /// supplemental punctuation blocks.
    @inline(__always) static func endsTag(_ v: UInt32) -> Bool {
        if v < 0x80 {
            switch UInt8(v) {
            case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"): return false
            case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
            case 0...0x20, 0x7F: return true
            default: return false
            }
        }
        return isWhitespace(v) || (0x2000...0x206F).contains(v) || (0x2E00...0x2E7F).contains(v)
    }

    private static func scanTags(_ b: [UInt8], _ lines: LineIndex, _ mask: BodyMask, _ note: inout ParsedNote,
                                 _ found: inout ParseFound) {
        let n = b.count
        var cursor = 0
        var i = nextByte(b, hash, from: 0)
        while i < n {
            guard mask.flags[i] & (BodyMask.hidden | BodyMask.linkSyntax) == 0 else { i = nextByte(b, hash, from: i + 1); continue }
            let line = lines.line(of: i, cursor: &cursor)
            let lineStart = lines.starts[line]
            if let prev = scalar(before: i, in: b, lineStart: lineStart), !isWhitespace(prev) {
                i = nextByte(b, hash, from: i + 1)
                continue
            }
            var j = i + 1
            var sawNonDigit = false
            while j < n, mask.flags[j] & (BodyMask.hidden | BodyMask.linkSyntax) == 0 {
                let (v, len) = scalar(at: j, in: b, end: n)
                if endsTag(v) { break }
                if v < 0x30 || v > 0x39 { sawNonDigit = true }
                j += len
            }
            if j > i + 1, sawNonDigit {
                let name = decode(b, (i + 1)..<j)
                note.marks?.tags.append(i..<j)
                found.tags.append(TagOccurrence(name: name, line: line + 1,
                                                column: scalarCount(b, lineStart..<i) + 1, inFrontmatter: false))
            }
            i = nextByte(b, hash, from: max(j, i + 1))
        }
    }

    // MARK: Headings and block ids

    private static func scanLines(_ b: [UInt8], _ lines: LineIndex, _ mask: BodyMask, bodyStart: Int,
                                  _ note: inout ParsedNote, _ found: inout ParseFound) {
        var previousParagraph: Range<Int>?
        let first = lines.line(of: bodyStart)
        guard bodyStart < b.count else { return }
        for n in first..<lines.starts.count {
            let r = lines.range(ofLine: n, in: b)
            guard r.lowerBound >= bodyStart else { continue }
            // A line starting with a letter (most) is no heading, and starts a paragraph
            // line that a setext underline on the next line can make one.
            if !r.isEmpty, startsWithLetter(b[r.lowerBound]), !mask.isHidden(r.lowerBound) {
                blockID(b, r, n, mask, &note, &found)
                previousParagraph = r
                continue
            }
            if r.isEmpty || mask.isHidden(r.lowerBound) || MaskBuilder.isBlank(b, r) {
                // A line that starts hidden (`%% c %% text ^id`) may still end in a block id.
                if !r.isEmpty, mask.isHidden(r.lowerBound) { blockID(b, r, n, mask, &note, &found) }
                previousParagraph = nil
                continue
            }
            let (indent, content) = MaskBuilder.indentation(b, r)
            // ATX heading.
            if indent < 4, b[content] == hash {
                var level = 0
                while content + level < r.upperBound, b[content + level] == hash { level += 1 }
                let after = content + level
                if level <= 6, after == r.upperBound || b[after] == sp || b[after] == tb {
                    var text = decodeTrimmed(b, after..<r.upperBound)
                    // A closing run of `#` preceded by a space is not part of the text.
                    if let trimmed = stripClosingHashes(text) { text = trimmed }
                    found.headings.append(Heading(level: level, text: text, line: n + 1))
                    previousParagraph = nil
                    continue
                }
            }
            // Setext underline under a one-line paragraph.
            if indent < 4, let prev = previousParagraph, b[content] == UInt8(ascii: "=") || b[content] == UInt8(ascii: "-") {
                let ch = b[content]
                var k = content
                while k < r.upperBound, b[k] == ch { k += 1 }
                if MaskBuilder.isBlank(b, k..<r.upperBound) {
                    found.headings.append(Heading(level: ch == UInt8(ascii: "=") ? 1 : 2,
                                                 text: decodeTrimmed(b, prev), line: n))
                    previousParagraph = nil
                    continue
                }
            }
            blockID(b, r, n, mask, &note, &found)
            let startsBlock = b[content] == rangle || b[content] == pipe || MaskBuilder.isListItem(b, content..<r.upperBound)
            previousParagraph = startsBlock || indent >= 4 ? nil : r
        }
    }

    private static func stripClosingHashes(_ text: String) -> String? {
        guard text.hasSuffix("#") else { return nil }
        var s = Substring(text)
        while s.last == "#" { s.removeLast() }
        if s.isEmpty { return "" }
        guard s.last == " " || s.last == "\t" else { return nil }
        return String(s).trimmingSpaces
    }

    /// ` ^id` at the end of a line (or `^id` alone on it): Latin letters, digits and `-`.
    private static func blockID(_ b: [UInt8], _ r: Range<Int>, _ n: Int, _ mask: BodyMask, _ note: inout ParsedNote,
                                _ found: inout ParseFound) {
        var end = r.upperBound
        while end > r.lowerBound, b[end - 1] == sp || b[end - 1] == tb { end -= 1 }
        var k = end
        while k > r.lowerBound, isASCIIAlnum(b[k - 1]) || b[k - 1] == UInt8(ascii: "-") { k -= 1 }
        guard k < end, k > r.lowerBound, b[k - 1] == caret, !mask.isHidden(k - 1) else { return }
        let caretAt = k - 1
        let (_, content) = MaskBuilder.indentation(b, r)
        // Obsidian also takes an id written straight after an embed or link: `![[img.png]]^id`.
        let before = caretAt > content ? b[caretAt - 1] : sp
        guard before == sp || before == tb || before == rbracket || before == rparen else { return }
        note.marks?.blockIDs.append(caretAt..<end)
        found.blockIDs.append(BlockID(id: decode(b, k..<end), line: n + 1))
    }
}
