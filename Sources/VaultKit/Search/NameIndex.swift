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
    let fieldStart: [Int]
    let fieldLength: [Int]
    /// Fields of note `i` are `noteFields[i]..<noteFields[i + 1]`.
    let noteFields: [Int]
    let lower: [UInt32]
    let cased: [UInt32]
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
        var fieldStart: [Int] = [], fieldLength: [Int] = [], noteFields: [Int] = []
        var lower: [UInt32] = [], cased: [UInt32] = [], bonus: [Int8] = []
        var noteTags: [[String]] = []
        lower.reserveCapacity(notes.count * 64)
        cased.reserveCapacity(notes.count * 64)
        bonus.reserveCapacity(notes.count * 64)
        for (i, n) in notes.enumerated() {
            noteFields.append(fieldText.count)
            var seen = Set<String>()
            func add(_ kind: FieldKind, _ text: String) {
                guard !text.isEmpty, seen.insert(text.folded).inserted else { return }
                let scalars = text.unicodeScalars.map(\.value)
                fieldNote.append(Int32(i))
                fieldKind.append(kind)
                fieldText.append(text)
                fieldStart.append(lower.count)
                fieldLength.append(scalars.count)
                for v in scalars {
                    lower.append(Fold.lower(v))
                    cased.append(Fold.base(v))
                }
                bonus.append(contentsOf: Scoring.bonuses(scalars))
            }
            add(.title, n.title)
            add(.name, n.name)
            if n.inFolder { add(.path, n.path) }
            for a in n.aliases { add(.alias, a) }
            noteTags.append(n.tags.map(\.folded))
        }
        noteFields.append(fieldText.count)
        self.noteCount = notes.count
        self.fieldNote = fieldNote
        self.fieldKind = fieldKind
        self.fieldText = fieldText
        self.fieldStart = fieldStart
        self.fieldLength = fieldLength
        self.noteFields = noteFields
        self.lower = lower
        self.cased = cased
        self.bonus = bonus
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
                let f = index.noteFields[Int(n)]
                return NameMatch(note: Int(n), field: .title, text: index.fieldText[f], score: 0, positions: [])
            }
            return NameSearchResult(query: query, matches: top, total: all.count, matched: all)
        }

        var matched: [Int32] = []
        var heap = TopK(limit: max(1, limit))
        let narrowing = previous.map { Self.narrows(from: $0.query, to: query) } ?? false
        let candidates: [Int32]? = narrowing ? previous?.matched : nil
        let count = candidates?.count ?? index.noteCount

        // Plain descriptors of the terms, so the loop below touches no reference-counted value.
        struct Plain { var kind: QueryTerm.Kind; var sensitive: Bool; var pattern: UnsafeBufferPointer<UInt32> }
        var storage: [UnsafeMutableBufferPointer<UInt32>] = []
        defer { for s in storage { s.deallocate() } }
        func plain(_ t: QueryTerm) -> Plain {
            let buf = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: t.pattern.count)
            _ = buf.initialize(from: t.pattern)
            storage.append(buf)
            return Plain(kind: t.kind, sensitive: t.caseSensitive, pattern: UnsafeBufferPointer(buf))
        }
        let plainPositive = positive.map(plain)
        let plainInverse = inverse.map(plain)
        let matcher = self.matcher

        let ok: Bool = index.lower.withUnsafeBufferPointer { lowerAll in
            index.cased.withUnsafeBufferPointer { casedAll in
                index.bonus.withUnsafeBufferPointer { bonusAll in
                index.noteFields.withUnsafeBufferPointer { noteFields in
                index.fieldStart.withUnsafeBufferPointer { fieldStart in
                index.fieldLength.withUnsafeBufferPointer { fieldLength in
                    var k = 0
                    while k < count {
                        if k & 1023 == 0, let cancel, cancel.isCancelled { return false }
                        let note = candidates.map { Int($0[k]) } ?? k
                        k += 1
                        if !tags.isEmpty && !tags.allSatisfy({ index.hasTag(note, $0) }) { continue }
                        var bestScore = Int32.min, bestField = -1, bestLength = Int.max
                        var excluded = false
                        for f in noteFields[note]..<noteFields[note + 1] {
                            let start = fieldStart[f], len = fieldLength[f]
                            let b = UnsafeBufferPointer(rebasing: bonusAll[start..<(start + len)])
                            let lowerText = UnsafeBufferPointer(rebasing: lowerAll[start..<(start + len)])
                            let casedText = UnsafeBufferPointer(rebasing: casedAll[start..<(start + len)])
                            for t in plainInverse
                            where matcher.match(t.kind, t.sensitive ? casedText : lowerText, b, t.pattern, positions: false) != nil {
                                excluded = true
                            }
                            if excluded { break }
                            var total: Int32 = 0
                            var all = true
                            for t in plainPositive {
                                guard let r = matcher.match(t.kind, t.sensitive ? casedText : lowerText, b, t.pattern, positions: false)
                                else { all = false; break }
                                total += r.score
                            }
                            if !all { continue }
                            if total > bestScore || (total == bestScore && len < bestLength) {
                                bestScore = total
                                bestField = f
                                bestLength = len
                            }
                        }
                        if excluded || bestField < 0 { continue }
                        if positive.isEmpty { bestField = noteFields[note]; bestLength = fieldLength[bestField] }
                        matched.append(Int32(note))
                        heap.insert(Entry(score: bestScore, length: bestLength, note: Int32(note), field: Int32(bestField)))
                    }
                    return true
                }
                }
                }
                }
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
}
