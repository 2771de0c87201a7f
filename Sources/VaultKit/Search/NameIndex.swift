import Synchronization

/// Every name a note can be found by: its title, file name, path and aliases, prepared for
/// the matcher and stored flat (one array of scalars for all fields) so a search walks
/// contiguous memory and allocates nothing per note.
public final class NameIndex: Sendable {
    public enum FieldKind: String, Sendable, Codable {
        case title, alias, name, path
    }

    public let noteCount: Int
    /// Per field: owning note, kind, original text, and its slice of the flat arrays.
    let fieldNote: [Int32]
    let fieldKind: [FieldKind]
    let fieldText: [String]
    /// Per field: its slice of the flat arrays and the characters it holds, side by side so
    /// the search loop reads one stream.
    let fields: [FieldInfo]
    /// Per note: its fields and the union of their characters.
    let noteInfo: [NoteInfo]
    let lower: [UInt32]
    let cased: [UInt32]
    /// `lower` and `cased` as bytes, every non-ASCII scalar 0xFF: ASCII queries (most) walk
    /// these, a quarter of the memory, and can never match a non-ASCII scalar by mistake.
    let lower8: [UInt8]
    let cased8: [UInt8]
    let bonus: [Int8]
    /// Lower-cased tags of each note, for `#tag` terms.
    let noteTags: [[String]]
    /// Notes by folded title, for the empty query.
    let byTitle: [Int32]

    public convenience init(_ vault: Vault) {
        self.init(notes: vault.notes.map { n in
            (title: n.title, name: n.name, path: n.path, inFolder: !n.folder.isEmpty, aliases: n.aliases, tags: n.tags)
        })
    }

    /// Builds the index from plain note names (the benchmark feeds it 100,000 of them).
    public init(notes: [(title: String, name: String, path: String, inFolder: Bool, aliases: [String], tags: [String])]) {
        var fieldNote: [Int32] = [], fieldKind: [FieldKind] = [], fieldText: [String] = []
        var fields: [FieldInfo] = [], noteInfo: [NoteInfo] = []
        var lower: [UInt32] = [], cased: [UInt32] = [], bonus: [Int8] = []
        var lower8: [UInt8] = [], cased8: [UInt8] = []
        var noteTags: [[String]] = []
        lower.reserveCapacity(notes.count * 64)
        cased.reserveCapacity(notes.count * 64)
        bonus.reserveCapacity(notes.count * 64)
        lower8.reserveCapacity(notes.count * 64)
        cased8.reserveCapacity(notes.count * 64)
        for (i, n) in notes.enumerated() {
            let firstField = fields.count
            var seen = Set<String>()
            func add(_ kind: FieldKind, _ text: String) {
                guard !text.isEmpty, seen.insert(text.folded).inserted else { return }
                let scalars = text.unicodeScalars.map(\.value)
                fieldNote.append(Int32(i))
                fieldKind.append(kind)
                fieldText.append(text)
                let start = lower.count
                var mask: UInt64 = 0
                for v in scalars {
                    let l = Fold.lower(v), c = Fold.base(v)
                    lower.append(l)
                    cased.append(c)
                    lower8.append(l < 0x80 ? UInt8(l) : 0xFF)
                    cased8.append(c < 0x80 ? UInt8(c) : 0xFF)
                    mask |= CharacterMask.bit(l)
                }
                fields.append(FieldInfo(start: Int32(start), length: Int32(scalars.count), mask: mask))
                bonus.append(contentsOf: Scoring.bonuses(scalars))
            }
            add(.title, n.title)
            add(.name, n.name)
            if n.inFolder { add(.path, n.path) }
            for a in n.aliases { add(.alias, a) }
            noteInfo.append(NoteInfo(first: Int32(firstField), end: Int32(fields.count),
                                     mask: fields[firstField...].reduce(0) { $0 | $1.mask }))
            noteTags.append(n.tags.map(\.folded))
        }
        self.noteCount = notes.count
        self.fieldNote = fieldNote
        self.fieldKind = fieldKind
        self.fieldText = fieldText
        self.fields = fields
        self.noteInfo = noteInfo
        self.lower = lower
        self.cased = cased
        self.bonus = bonus
        self.lower8 = lower8
        self.cased8 = cased8
        self.noteTags = noteTags
        let titles = notes.map { $0.title.folded }
        self.byTitle = notes.indices.sorted { titles[$0] != titles[$1] ? titles[$0] < titles[$1] : $0 < $1 }.map { Int32($0) }
    }

    /// Every indexed name, one per field, in index order (the benchmark hands them to fzf).
    public func allFieldTexts() -> [String] { fieldText }

    /// Number of names indexed (titles, file names, paths, aliases after de-duplication).
    public var fieldCount: Int { fieldText.count }

    func hasTag(_ note: Int, _ term: String) -> Bool {
        for tag in noteTags[note] {
            if tag.hasPrefix(term) { return true }
            var rest = Substring(tag)
            while let slash = rest.firstIndex(of: "/") {
                rest = rest[rest.index(after: slash)...]
                if rest.hasPrefix(term) { return true }
            }
        }
        return false
    }
}

/// A found note: the name that matched best, its score and the matched characters.
public struct NameMatch: Sendable, Equatable {
    public let note: Int
    public let field: NameIndex.FieldKind
    /// The title, file name, path or alias that matched.
    public let text: String
    public let score: Int32
    /// Offsets (in Unicode scalars) of the matched characters in `text`.
    public let positions: [Int]
}

public struct NameSearchResult: Sendable {
    public let query: String
    /// The best matches, best first, at most the limit asked for.
    public let matches: [NameMatch]
    /// How many notes matched in all.
    public let total: Int
    /// Every matching note, for refining the search incrementally.
    let matched: [Int32]
}

/// Lets a newer keystroke stop a search that is still running.
public final class CancelToken: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Runs finder queries over a `NameIndex`. Holds scratch memory: one per thread.
public final class NameSearcher {
    public let index: NameIndex
    private let matcher = FuzzyMatcher()

    public init(_ index: NameIndex) { self.index = index }

    /// Ranks notes for `query`. With `previous`, when the new query only narrows the old one
    /// (a character typed at the end), just the old matches are scored again. Returns nil
    /// when `cancel` fires first.
    public func search(_ query: String, limit: Int, previous: NameSearchResult? = nil,
                       cancel: CancelToken? = nil) -> NameSearchResult? {
        let terms = QueryParser.parse(query)
        let positive = terms.filter { !$0.inverse && $0.kind != .tag }
        let inverse = terms.filter { $0.inverse }
        let tags = terms.filter { $0.kind == .tag }.map { $0.text.folded }
        if terms.isEmpty {
            let all = index.byTitle
            let top = all.prefix(limit).map { n -> NameMatch in
                let f = Int(index.noteInfo[Int(n)].first)
                return NameMatch(note: Int(n), field: .title, text: index.fieldText[f], score: 0, positions: [])
            }
            return NameSearchResult(query: query, matches: top, total: all.count, matched: all)
        }

        var matched: [Int32] = []
        var heap = TopK(limit: max(1, limit))
        let narrowing = previous.map { Self.narrows(from: $0.query, to: query) } ?? false
        let candidates: [Int32]? = narrowing ? previous?.matched : nil
        let ascii = (positive + inverse).allSatisfy { $0.pattern.allSatisfy { $0 < 0x80 } }
        // No name scores more than every term matched in one run from a word start, so once
        // the best `limit` all score that, only a shorter name can still take a place.
        let ceiling = positive.reduce(Int32(0)) { $0 + Scoring.ceiling(length: $1.pattern.count) }
        let need = positive.reduce(UInt64(0)) { m, t in t.pattern.reduce(m) { $0 | CharacterMask.bit(Fold.lower($1)) } }
        let scan = Scan(candidates: candidates, tags: tags, need: need, ceiling: ceiling, hasPositive: !positive.isEmpty)
        let ok: Bool
        if ascii {
            let p = PlainTerms<UInt8>(positive), i = PlainTerms<UInt8>(inverse)
            ok = withExtendedLifetime((p, i)) {
                scanFields(scan, p.terms, i.terms, index.lower8, index.cased8, &matched, &heap, cancel)
            }
        } else {
            let p = PlainTerms<UInt32>(positive), i = PlainTerms<UInt32>(inverse)
            ok = withExtendedLifetime((p, i)) {
                scanFields(scan, p.terms, i.terms, index.lower, index.cased, &matched, &heap, cancel)
            }
        }
        guard ok else { return nil }
        let top = heap.sorted().map { e -> NameMatch in
            let f = Int(e.field)
            let positions = matcher.match(positive, in: PreparedText(index.fieldText[f]), positions: true)?.positions ?? []
            return NameMatch(note: Int(e.note), field: index.fieldKind[f], text: index.fieldText[f],
                             score: positive.isEmpty ? 0 : e.score, positions: positions)
        }
        return NameSearchResult(query: query, matches: top, total: matched.count, matched: matched)
    }

    struct Scan {
        var candidates: [Int32]?
        var tags: [String]
        var need: UInt64
        var ceiling: Int32
        var hasPositive: Bool
    }

    /// The search loop over every candidate note's fields, on folded scalars or on bytes.
    /// Returns false when cancelled.
    private func scanFields<C: FixedWidthInteger & UnsignedInteger>(
        _ scan: Scan, _ positive: [PlainTerm<C>], _ inverse: [PlainTerm<C>], _ lower: [C], _ cased: [C],
        _ matched: inout [Int32], _ heap: inout TopK, _ cancel: CancelToken?) -> Bool {
        let matcher = self.matcher
        let index = self.index
        let count = scan.candidates?.count ?? index.noteCount
        return lower.withUnsafeBufferPointer { lowerAll in
            cased.withUnsafeBufferPointer { casedAll in
            index.bonus.withUnsafeBufferPointer { bonusAll in
            index.fields.withUnsafeBufferPointer { fields in
            index.noteInfo.withUnsafeBufferPointer { noteInfo in
            (scan.candidates ?? []).withUnsafeBufferPointer { candidates in
                let need = scan.need, filtersTags = !scan.tags.isEmpty, hasInverse = !inverse.isEmpty
                let all = scan.candidates == nil
                var k = 0
                while k < count {
                    if k & 1023 == 0, let cancel, cancel.isCancelled { return false }
                    let note = all ? k : Int(candidates[k])
                    k += 1
                    // No name of the note has every character the terms need (and no inverse
                    // term could exclude it from a list it is not on anyway).
                    let info = noteInfo[note]
                    if info.mask & need != need { continue }
                    if filtersTags && !scan.tags.allSatisfy({ index.hasTag(note, $0) }) { continue }
                    var bestScore = Int32.min, bestField = -1, bestLength = Int.max
                    var excluded = false, anyMatch = false
                    for f in Int(info.first)..<Int(info.end) {
                        let field = fields[f]
                        // A name missing a needed character is skipped before its text is read
                        // (unless an inverse term must still look at it).
                        if !hasInverse && field.mask & need != need { continue }
                        let start = Int(field.start), len = Int(field.length)
                        let b = UnsafeBufferPointer(rebasing: bonusAll[start..<(start + len)])
                        let lowerText = UnsafeBufferPointer(rebasing: lowerAll[start..<(start + len)])
                        let casedText = UnsafeBufferPointer(rebasing: casedAll[start..<(start + len)])
                        if hasInverse {
                            for t in inverse
                            where matcher.match(t.kind, t.sensitive ? casedText : lowerText, b, t.pattern, positions: false) != nil {
                                excluded = true
                            }
                        }
                        if excluded { break }
                        if field.mask & need != need { continue }
                        // Only whether it matches counts when this name could not make the list.
                        let scoreWanted = heap.admits(score: scan.ceiling, length: len)
                            && (bestScore < scan.ceiling || len < bestLength)
                        if !scoreWanted {
                            if anyMatch { continue }
                            if positive.allSatisfy({ t in
                                t.kind == .fuzzy ? FuzzyMatcher.contains(t.sensitive ? casedText : lowerText, t.pattern)
                                    : matcher.match(t.kind, t.sensitive ? casedText : lowerText, b, t.pattern, positions: false) != nil
                            }) { anyMatch = true }
                            continue
                        }
                        var total: Int32 = 0
                        var all = true
                        for t in positive {
                            guard let r = matcher.match(t.kind, t.sensitive ? casedText : lowerText, b, t.pattern, positions: false)
                            else { all = false; break }
                            total += r.score
                        }
                        if !all { continue }
                        anyMatch = true
                        if total > bestScore || (total == bestScore && len < bestLength) {
                            bestScore = total
                            bestField = f
                            bestLength = len
                        }
                    }
                    if excluded || !anyMatch { continue }
                    matched.append(Int32(note))
                    if !scan.hasPositive { bestScore = 0; bestField = Int(info.first); bestLength = Int(fields[bestField].length) }
                    if bestField >= 0 {
                        heap.insert(Entry(score: bestScore, length: bestLength, note: Int32(note), field: Int32(bestField)))
                    }
                }
                return true
            }
            }
            }
            }
            }
        }
    }

    /// True when every note matching `new` also matches `old`, so only the old matches need
    /// scoring: the same terms, the last one only longer, nothing inverted.
    static func narrows(from old: String, to new: String) -> Bool {
        guard new.hasPrefix(old) else { return false }
        let a = QueryParser.parse(old), b = QueryParser.parse(new)
        guard b.count >= a.count, !a.contains(where: \.inverse) else { return false }
        for (k, t) in a.enumerated() {
            let u = b[k]
            guard t.kind == u.kind, !u.inverse, !(t.caseSensitive && !u.caseSensitive) else { return false }
            if k == a.count - 1 && (t.kind == .fuzzy || t.kind == .exact || t.kind == .prefix || t.kind == .tag) {
                guard u.text.hasPrefix(t.text) else { return false }
            } else {
                guard u.text == t.text else { return false }
            }
        }
        return true
    }
}

/// A query term's pattern in the code units of one scan, for the loop that touches no
/// reference-counted value.
struct PlainTerm<C: FixedWidthInteger & UnsignedInteger> {
    var kind: QueryTerm.Kind
    var sensitive: Bool
    var pattern: UnsafeBufferPointer<C>
}

/// The terms of one search as `PlainTerm`s (bytes only for ASCII patterns), owning their
/// pattern memory until the search ends.
final class PlainTerms<C: FixedWidthInteger & UnsignedInteger> {
    let terms: [PlainTerm<C>]

    init(_ terms: [QueryTerm]) {
        self.terms = terms.map { t in
            let buffer = UnsafeMutableBufferPointer<C>.allocate(capacity: t.pattern.count)
            _ = buffer.initialize(from: t.pattern.map { C(truncatingIfNeeded: $0) })
            return PlainTerm(kind: t.kind, sensitive: t.caseSensitive, pattern: UnsafeBufferPointer(buffer))
        }
    }

    deinit { for t in terms { UnsafeMutableBufferPointer(mutating: t.pattern).deallocate() } }
}

/// Where a field's text sits in the flat arrays, and which characters it holds
/// (`CharacterMask`): a query needing one the field lacks is rejected without reading it.
struct FieldInfo {
    let start: Int32
    let length: Int32
    let mask: UInt64
}

/// A note's fields (`first..<end`) and the characters any of them holds.
struct NoteInfo {
    let first: Int32
    let end: Int32
    let mask: UInt64
}

/// Which characters a text holds, as bits: a to z, 0 to 9, and every other character in
/// one of 28 buckets by its value.
enum CharacterMask {
    @inline(__always)
    static func bit(_ lower: UInt32) -> UInt64 {
        switch lower {
        case 0x61...0x7A: return 1 << UInt64(lower - 0x61)
        case 0x30...0x39: return 1 << UInt64(26 + lower - 0x30)
        default: return 1 << UInt64(36 + lower % 28)
        }
    }
}

struct Entry {
    let score: Int32
    let length: Int
    let note: Int32
    let field: Int32

    /// Better: higher score, then shorter text, then earlier note.
    @inline(__always) func better(than o: Entry) -> Bool {
        if score != o.score { return score > o.score }
        if length != o.length { return length < o.length }
        return note < o.note
    }
}

/// The best `limit` entries seen, kept in a binary heap whose root is the worst of them.
struct TopK {
    let limit: Int
    private(set) var items: [Entry] = []
    init(limit: Int) { self.limit = limit; items.reserveCapacity(limit) }

    mutating func insert(_ e: Entry) {
        if items.count < limit {
            items.append(e)
            var i = items.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                guard items[p].better(than: items[i]) else { break }
                items.swapAt(p, i)
                i = p
            }
        } else if e.better(than: items[0]) {
            items[0] = e
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < items.count && items[worst].better(than: items[l]) { worst = l }
                if r < items.count && items[worst].better(than: items[r]) { worst = r }
                if worst == i { break }
                items.swapAt(i, worst)
                i = worst
            }
        }
    }

    func sorted() -> [Entry] { items.sorted { $0.better(than: $1) } }

    /// False when an entry of this score and length (and a later note) could not take a place.
    @inline(__always) func admits(score: Int32, length: Int) -> Bool {
        guard items.count == limit, let worst = items.first else { return true }
        return score > worst.score || (score == worst.score && length < worst.length)
    }
}
