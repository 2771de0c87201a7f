import CPrefetch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every name a note can be found by: its title, file name, path and aliases, prepared for
/// the matcher and stored flat (one array of scalars for all fields) so a search walks
/// contiguous memory and allocates nothing per note.
public final class NameIndex: Sendable {
    public enum FieldKind: String, Sendable, Codable {
        case title, alias, name, path
    }

    public let noteCount: Int
    /// Per field: its kind and original text.
    let fieldKind: [FieldKind]
    let fieldText: [String]
    /// Per field: its slice of the flat arrays and the characters it holds, side by side so
    /// the search loop reads one stream.
    let fields: [FieldInfo]
    /// Per note: its fields and the union of their characters.
    let noteInfo: [NoteInfo]
    /// Per field: the characters it holds where they earn a bonus (`BonusPlaces`): with them
    /// `Scoring.bound` caps what the field can score without reading its text.
    let fieldStarts: [BonusPlaces]
    /// Per note: the union of its names' `fieldStarts`, to cap all its names at once.
    let noteStarts: [BonusPlaces]
    /// Per note: the length of its shortest name (at most 65,535).
    let shortest: [UInt16]
    /// Per note: the field that names it in a list (its title, or its file name without one;
    /// -1 for a note without names).
    let displayField: [Int32]
    let lower: [UInt32]
    let cased: [UInt32]
    /// `lower` and `cased` as bytes, every non-ASCII scalar 0xFF: ASCII queries (most) walk
    /// these, a quarter of the memory, and can never match a non-ASCII scalar by mistake.
    let lower8: [UInt8]
    let cased8: [UInt8]
    let bonus: [Int8]
    /// Each note's tags lower-cased and without accents (`searchFolded`), for `#tag` terms.
    let noteTags: [[String]]
    /// Per note: its path's length in bytes (at most 65,535). Of two notes whose best names
    /// tie, the one with the shorter path ranks first: `readme` puts the vault's own
    /// readme.md, the note `[[readme]]` leads to, before every folder's.
    let pathLength: [UInt16]
    /// Notes in the empty query's order (`listedBefore`): by title, folded.
    let byTitle: [Int32]

    public convenience init(_ vault: Vault) {
        let notes = vault.notes
        self.init(count: notes.count) { i in
            let n = notes[i]
            return NameSource(title: n.title, name: n.name, path: n.path, aliases: n.aliases, tags: n.tags)
        }
    }

    /// Builds the index of `count` notes, `source(i)` naming note i. Ranges of notes are
    /// indexed on all cores (`parts` of them; by default about one per 2,048 notes, at most
    /// four per core), then joined in note order: the result is the same for any `parts`.
    init(count n: Int, parts wanted: Int? = nil, source: @Sendable (Int) -> NameSource) {
        let chunks = max(1, min(n, wanted ?? min(n / 2_048, ProcessInfoLite.activeProcessorCount * 4)))
        let parts = parallelMap(Array(0..<chunks), progress: nil) { c in
            IndexPart(source, (c * n / chunks)..<((c + 1) * n / chunks))
        }
        // Field and scalar numbers in a part count from its start: they are moved on by the
        // fields and scalars of the parts before it.
        var fieldBase: [Int32] = [], scalarBase: [Int32] = []
        var fieldCount = 0, scalarCount = 0
        for p in parts {
            fieldBase.append(Int32(fieldCount))
            scalarBase.append(Int32(scalarCount))
            fieldCount += p.fields.count
            scalarCount += p.scalars.count
        }
        precondition(fieldCount <= Int(Int32.max) && scalarCount <= Int(Int32.max), "too many names to index")
        func joined<T>(_ part: (IndexPart) -> [T], moved: ((T, Int) -> T)? = nil) -> [T] {
            Self.joined(parts, part, moved: moved)
        }
        // Half the arrays are joined on another core meanwhile. Its task lets go of the parts
        // before its result is ready (`Deferred`), so they are freed here, on this thread.
        let stores = parts.map(\.scalars)
        let others = Deferred { [parts] in
            let stores = parts.map(\.scalars)
            return (fieldText: Self.joined(parts) { $0.fieldText }, noteTags: Self.joined(parts) { $0.noteTags },
                    cased: ScalarStore.joined(stores) { $0.cased }, bonus: ScalarStore.joined(stores) { $0.bonus },
                    lower8: ScalarStore.joined(stores) { $0.lower8 }, cased8: ScalarStore.joined(stores) { $0.cased8 })
        }
        let fields = joined({ $0.fields }, moved: { f, k in
            FieldInfo(start: f.start + scalarBase[k], length: f.length, mask: f.mask)
        })
        let displayField = joined({ $0.displayField }, moved: { f, k in
            f < 0 ? f : f + fieldBase[k]
        })
        let lower = ScalarStore.joined(stores) { $0.lower }
        self.noteCount = n
        self.fieldKind = joined { $0.fieldKind }
        self.fields = fields
        self.noteInfo = joined({ $0.noteInfo }, moved: { info, k in
            NoteInfo(first: info.first + fieldBase[k], end: info.end + fieldBase[k], mask: info.mask)
        })
        self.displayField = displayField
        self.shortest = joined { $0.shortest }
        self.pathLength = joined { $0.pathLength }
        self.fieldStarts = joined { $0.fieldStarts }
        self.noteStarts = joined { $0.noteStarts }
        self.lower = lower
        // Each part listed its notes in order; the lists are merged, two at a time.
        var runs = parts.map { p in p.listOrder.map { $0 + Int32(p.range.lowerBound) } }
        displayField.withUnsafeBufferPointer { display in
            fields.withUnsafeBufferPointer { fields in
                lower.withUnsafeBufferPointer { lower in
                    while runs.count > 1 {
                        runs = stride(from: 0, to: runs.count, by: 2).map { k in
                            k + 1 < runs.count ? mergeListed(runs[k], runs[k + 1], display, fields, lower) : runs[k]
                        }
                    }
                }
            }
        }
        self.byTitle = runs[0]
        let joinedOthers = others.value
        self.fieldText = joinedOthers.fieldText
        self.noteTags = joinedOthers.noteTags
        self.cased = joinedOthers.cased
        self.bonus = joinedOthers.bonus
        self.lower8 = joinedOthers.lower8
        self.cased8 = joinedOthers.cased8
        withExtendedLifetime(parts) {}
    }

    /// One of the parts' arrays, joined in order, each element moved on by `moved` (given the
    /// element and its part's number; it leaves the first part's as they are).
    private static func joined<T>(_ parts: [IndexPart], _ part: (IndexPart) -> [T], moved: ((T, Int) -> T)? = nil) -> [T] {
        if parts.count == 1 { return part(parts[0]) }
        var out: [T] = []
        out.reserveCapacity(parts.reduce(0) { $0 + part($1).count })
        for k in parts.indices {
            if let moved { out.append(contentsOf: part(parts[k]).lazy.map { moved($0, k) }) } else {
                out.append(contentsOf: part(parts[k]))
            }
        }
        return out
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
    /// Every matching note, for refining the search incrementally, and where each matched.
    let matched: [Int32]
    let witness: [Witness]
}

/// Where a found note matched its query: one of its names (`field`, or -1 when not known) and,
/// when the last term is fuzzy, the offset of that term's last character there, placed as
/// early as it can be (`end`, or -1). A longer query looks at that name first, and a last
/// term that only grew goes on from `end`: typing a character costs a look at one name.
struct Witness {
    var field: Int32
    var end: Int32
    static let unknown = Witness(field: -1, end: -1)
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
    private var scratchNotes = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var scratchWitnesses = UnsafeMutablePointer<Witness>.allocate(capacity: 1)
    private var scratchCapacity = 1

    public init(_ index: NameIndex) { self.index = index }

    deinit {
        scratchNotes.deallocate()
        scratchWitnesses.deallocate()
    }

    /// Ranks notes for `query`. With `previous`, when the new query only narrows the old one
    /// (a character typed at the end), just the old matches are scored again. Returns nil
    /// when `cancel` fires first.
    public func search(_ query: String, limit: Int, previous: NameSearchResult? = nil,
                       cancel: CancelToken? = nil) -> NameSearchResult? {
        let terms = QueryParser.parse(query)
        let positive = terms.filter { !$0.inverse && $0.kind != .tag }
        let inverse = terms.filter { $0.inverse && $0.kind != .tag }
        let tags = terms.filter { $0.kind == .tag && !$0.inverse }.map { $0.text.searchFolded }
        let excludedTags = terms.filter { $0.kind == .tag && $0.inverse }.map { $0.text.searchFolded }
        if terms.isEmpty {
            let all = index.byTitle
            return NameSearchResult(query: query, matches: all.prefix(limit).map(listing), total: all.count, matched: all,
                                    witness: [])
        }

        // No more can be kept than there are notes (a limit of 10^10 once asked for that much memory).
        var heap = TopK(limit: max(1, min(limit, index.noteCount)))
        // The empty query's result (every note, in title order, no witnesses) is not narrowed.
        let narrowing = previous.map { $0.witness.count == $0.matched.count && Self.narrows(from: $0.query, to: query) } ?? false
        let candidates: [Int32]? = narrowing ? previous?.matched : nil
        let ascii = (positive + inverse).allSatisfy { $0.pattern.allSatisfy { $0 < 0x80 } }
        // No name scores more than every term matched in one run from a word start, so once
        // the best `limit` all score that, only a shorter name can still take a place.
        let ceiling = positive.reduce(Int32(0)) { $0 + Scoring.ceiling(length: $1.pattern.count) }
        let need = positive.reduce(UInt64(0)) { m, t in t.pattern.reduce(m) { $0 | CharacterMask.bit(Fold.lower($1)) } }
        // Terms of one character each, a to z or 0 to 9 in either case: a name holds them exactly
        // when its character mask says so.
        let maskDecides = inverse.isEmpty && !positive.isEmpty && positive.allSatisfy {
            $0.kind == .fuzzy && !$0.caseSensitive && $0.pattern.count == 1 && CharacterMask.isExact($0.pattern[0])
        }
        var scan = Scan(candidates: candidates, tags: tags, excludedTags: excludedTags, need: need, ceiling: ceiling, hasPositive: !positive.isEmpty,
                        maskDecides: maskDecides, resumeTerm: -1, resumeOffset: 0)
        if narrowing, let previous, inverse.isEmpty, !positive.isEmpty {
            (scan.resumeTerm, scan.resumeOffset) = Self.resumePlan(from: previous.query, to: positive)
        }
        let witnesses = scan.resumeTerm >= 0 ? previous?.witness ?? [] : []
        // Each candidate adds at most one note and one witness, written to the searcher's
        // scratch memory (kept from search to search), then copied out at their count.
        reserveScratch(max(1, candidates?.count ?? index.noteCount))
        var found = Found(notes: scratchNotes, witnesses: scratchWitnesses)
        let ok: Bool
        if ascii {
            let p = PlainTerms<UInt8>(positive), i = PlainTerms<UInt8>(inverse)
            ok = withExtendedLifetime((p, i)) {
                scanFields(scan, p.terms, i.terms, index.lower8, index.cased8, witnesses, &found, &heap, cancel)
            }
        } else {
            let p = PlainTerms<UInt32>(positive), i = PlainTerms<UInt32>(inverse)
            ok = withExtendedLifetime((p, i)) {
                scanFields(scan, p.terms, i.terms, index.lower, index.cased, witnesses, &found, &heap, cancel)
            }
        }
        guard ok else { return nil }
        let matched = Array(UnsafeBufferPointer(start: scratchNotes, count: found.count))
        let witness = Array(UnsafeBufferPointer(start: scratchWitnesses, count: found.count))
        // With nothing to score (only tags or exclusions) the notes are listed as the empty
        // query lists them, by title.
        if positive.isEmpty {
            return NameSearchResult(query: query, matches: listed(matched, limit: limit), total: matched.count,
                                    matched: matched, witness: witness)
        }
        let top = heap.sorted().map { e -> NameMatch in
            let f = Int(e.field)
            let positions = matcher.match(positive, in: PreparedText(index.fieldText[f]), positions: true)?.positions ?? []
            return NameMatch(note: Int(e.note), field: index.fieldKind[f], text: index.fieldText[f],
                             score: e.score, positions: positions)
        }
        return NameSearchResult(query: query, matches: top, total: matched.count, matched: matched, witness: witness)
    }

    /// A note as the empty query lists it: by the name it is shown under, nothing marked.
    private func listing(_ n: Int32) -> NameMatch {
        let f = Int(index.displayField[Int(n)])
        return NameMatch(note: Int(n), field: f < 0 ? .title : index.fieldKind[f],
                         text: f < 0 ? "" : index.fieldText[f], score: 0, positions: [])
    }

    /// The first `limit` of `notes` in the empty query's order: the title order is walked
    /// once, each note in it kept if it is one of `notes` (linear, where sorting 100,000
    /// matches of a tag would not be).
    private func listed(_ notes: [Int32], limit: Int) -> [NameMatch] {
        var wanted = [Bool](repeating: false, count: index.noteCount)
        for n in notes { wanted[Int(n)] = true }
        var out: [NameMatch] = []
        out.reserveCapacity(min(limit, notes.count))
        for n in index.byTitle where wanted[Int(n)] {
            out.append(listing(n))
            if out.count == limit { break }
        }
        return out
    }

    /// Room for the notes and witnesses of one scan, grown to the most candidates yet seen.
    private func reserveScratch(_ count: Int) {
        guard count > scratchCapacity else { return }
        scratchNotes.deallocate()
        scratchWitnesses.deallocate()
        scratchNotes = .allocate(capacity: count)
        scratchWitnesses = .allocate(capacity: count)
        scratchCapacity = count
    }

    struct Scan {
        var candidates: [Int32]?
        /// `#tag` terms: a note must have each; `!#tag` terms: it must have none.
        var tags: [String]
        var excludedTags: [String]

        func tagsAdmit(_ note: Int, _ index: NameIndex) -> Bool {
            tags.allSatisfy { index.hasTag(note, $0) } && !excludedTags.contains { index.hasTag(note, $0) }
        }
        var need: UInt64
        var ceiling: Int32
        var hasPositive: Bool
        /// Every positive term is one character the masks hold exactly (`CharacterMask.isExact`).
        var maskDecides: Bool
        /// With the previous search's witnesses: the first positive term not known to match the
        /// witness name (-1: witnesses unused), and how much of that term's pattern is
        /// (its old pattern, which ends at the witness's `end`; 0: check the whole term).
        var resumeTerm: Int
        var resumeOffset: Int
    }

    /// Where the scan writes the notes it finds and their witnesses (room for every candidate).
    struct Found {
        let notes: UnsafeMutablePointer<Int32>
        let witnesses: UnsafeMutablePointer<Witness>
        var count = 0

        @inline(__always) mutating func record(_ note: Int, _ witness: Witness) {
            (notes + count).initialize(to: Int32(truncatingIfNeeded: note))
            (witnesses + count).initialize(to: witness)
            count &+= 1
        }
    }

    /// How the witnesses of `old`'s search serve the positive terms of a query that narrows it:
    /// terms equal to old ones are known to match the witness name; the old last term, when
    /// it only grew (fuzzy, same case rule), goes on from the witness's end.
    static func resumePlan(from old: String, to positive: [QueryTerm]) -> (term: Int, offset: Int) {
        let before = QueryParser.parse(old).filter { !$0.inverse && $0.kind != .tag }
        var t = 0
        while t < before.count && t < positive.count && before[t] == positive[t] { t += 1 }
        if t == before.count { return (t, 0) }
        // `narrows` lets only the old last term change.
        guard t == before.count - 1, t < positive.count else { return (-1, 0) }
        let a = before[t], b = positive[t]
        let grew = a.kind == .fuzzy && b.kind == .fuzzy && a.caseSensitive == b.caseSensitive
            && b.pattern.starts(with: a.pattern)
        return (t, grew ? a.pattern.count : 0)
    }

    /// The search loop over every candidate note's fields, on folded scalars or on bytes.
    /// Returns false when cancelled.
    private func scanFields<C: FixedWidthInteger & UnsignedInteger>(
        _ scan: Scan, _ positive: [PlainTerm<C>], _ inverse: [PlainTerm<C>], _ lower: [C], _ cased: [C],
        _ witnesses: [Witness], _ found: inout Found, _ heap: inout TopK, _ cancel: CancelToken?) -> Bool {
        let index = self.index
        return lower.withUnsafeBufferPointer { lower in
            cased.withUnsafeBufferPointer { cased in
            index.bonus.withUnsafeBufferPointer { bonus in
            index.fields.withUnsafeBufferPointer { fields in
            index.noteInfo.withUnsafeBufferPointer { noteInfo in
            index.shortest.withUnsafeBufferPointer { shortest in
            index.fieldStarts.withUnsafeBufferPointer { fieldStarts in
            index.noteStarts.withUnsafeBufferPointer { noteStarts in
            witnesses.withUnsafeBufferPointer { witnesses in
            (scan.candidates ?? []).withUnsafeBufferPointer { candidates in
            positive.withUnsafeBufferPointer { positive in
            inverse.withUnsafeBufferPointer { inverse in
                let walk = NameScan(scan: scan, positive: positive, inverse: inverse, lower: lower, cased: cased,
                                    bonus: bonus, fields: fields, noteInfo: noteInfo, shortest: shortest,
                                    fieldStarts: fieldStarts, noteStarts: noteStarts, witnesses: witnesses,
                                    candidates: candidates,
                                    index: index, matcher: matcher)
                var state = ScanState(found: found, heap: heap, bar: heap.lengthBar(score: scan.ceiling))
                let ok = walk.run(cancel, &state)
                found = state.found
                heap = state.heap
                return ok
            }
            }
            }
            }
            }
            }
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

/// Asks for the memory of `buffer[i]` ahead of its use (`CPrefetch`). Any `i` will do: a
/// prefetch never faults.
@inline(__always)
private func prefetchElement<T>(_ buffer: UnsafeBufferPointer<T>, _ i: Int) {
    mycel_prefetch(buffer.baseAddress.unsafelyUnwrapped + i)
}

/// Whether a name can take a place in the full list (`NameScan.placement`): a fuzzy term is
/// not in it at all, it cannot, or it may, scoring at most `cap`.
private enum Placement {
    case absent, cannot
    case may(cap: Int32)
}

/// What a scan has found so far: the notes and witnesses, the best entries, and the bar.
private struct ScanState {
    var found: NameSearcher.Found
    var heap: TopK
    /// Names this long or longer cannot make the list, however well they match.
    var bar: Int
}

/// One search's walk over its candidate notes: the index's arrays as buffers and the terms.
/// Immutable, its methods borrowing it and passing the `ScanState` along: a mutating method
/// calling a non-mutating one made a copy of the whole struct at each call. Nothing here is
/// boxed or reference-counted in the hot loops.
private struct NameScan<C: FixedWidthInteger & UnsignedInteger> {
    let scan: NameSearcher.Scan
    let positive: UnsafeBufferPointer<PlainTerm<C>>
    let inverse: UnsafeBufferPointer<PlainTerm<C>>
    let lower: UnsafeBufferPointer<C>
    let cased: UnsafeBufferPointer<C>
    let bonus: UnsafeBufferPointer<Int8>
    let fields: UnsafeBufferPointer<FieldInfo>
    let noteInfo: UnsafeBufferPointer<NoteInfo>
    let shortest: UnsafeBufferPointer<UInt16>
    let fieldStarts: UnsafeBufferPointer<BonusPlaces>
    let noteStarts: UnsafeBufferPointer<BonusPlaces>
    let witnesses: UnsafeBufferPointer<Witness>
    let candidates: UnsafeBufferPointer<Int32>
    let index: NameIndex
    let matcher: FuzzyMatcher
    let need: UInt64
    let hasInverse: Bool
    /// Every note is a candidate (no earlier search to narrow).
    let all: Bool
    /// The witnesses of the earlier search apply.
    let resumes: Bool

    init(scan: NameSearcher.Scan, positive: UnsafeBufferPointer<PlainTerm<C>>, inverse: UnsafeBufferPointer<PlainTerm<C>>,
         lower: UnsafeBufferPointer<C>, cased: UnsafeBufferPointer<C>, bonus: UnsafeBufferPointer<Int8>,
         fields: UnsafeBufferPointer<FieldInfo>, noteInfo: UnsafeBufferPointer<NoteInfo>,
         shortest: UnsafeBufferPointer<UInt16>, fieldStarts: UnsafeBufferPointer<BonusPlaces>,
         noteStarts: UnsafeBufferPointer<BonusPlaces>, witnesses: UnsafeBufferPointer<Witness>, candidates: UnsafeBufferPointer<Int32>,
         index: NameIndex, matcher: FuzzyMatcher) {
        self.scan = scan
        self.positive = positive
        self.inverse = inverse
        self.lower = lower
        self.cased = cased
        self.bonus = bonus
        self.fields = fields
        self.noteInfo = noteInfo
        self.shortest = shortest
        self.fieldStarts = fieldStarts
        self.noteStarts = noteStarts
        self.witnesses = witnesses
        self.candidates = candidates
        self.index = index
        self.matcher = matcher
        need = scan.need
        hasInverse = !inverse.isEmpty
        all = scan.candidates == nil
        resumes = !all && witnesses.count == candidates.count && inverse.isEmpty && scan.hasPositive
    }

    /// Whether the positive terms from `first` on all match the name at `start`, the term
    /// `first` going on from offset `from` of its pattern after text offset `after`. Returns
    /// the end of the last term when fuzzy (else -1), nil for no match.
    func matches(_ start: Int, _ len: Int, from first: Int, pattern from: Int, after: Int) -> Int? {
        var end = -1
        for k in first..<positive.count {
            let t = positive[k]
            if t.kind == .fuzzy {
                let goesOn = k == first && from > 0
                let e = FuzzyMatcher.greedyEnd(t.sensitive ? cased : lower, t.pattern, from: goesOn ? from : 0,
                                               at: goesOn ? start &+ after &+ 1 : start, to: start &+ len)
                if e < 0 { return nil }
                end = e &- start
            } else {
                let hay = UnsafeBufferPointer(rebasing: (t.sensitive ? cased : lower)[start..<(start + len)])
                let b = UnsafeBufferPointer(rebasing: bonus[start..<(start + len)])
                guard matcher.match(t.kind, hay, b, t.pattern, positions: false) != nil else { return nil }
                end = -1
            }
        }
        return end
    }

    /// When the masks decide (terms of one character, case ignored): field `f` as a witness,
    /// ending at the first place of the last term's character.
    @inline(__always)
    func firstOfLast(_ f: Int) -> Witness {
        let field = fields[f]
        let start = Int(field.start), end = start &+ Int(field.length)
        let at = WordScan.first(positive[positive.count &- 1].pattern[0], in: lower, from: start, to: end)
        return Witness(field: Int32(f), end: at < end ? Int32(truncatingIfNeeded: at &- start) : -1)
    }

    /// The sum of the positive terms' scores in one name, nil unless all of them match. With
    /// a `slack`, the most the gaps of the terms' alignments may cost for the name to be of
    /// use (its cap less the least score it needs), also nil when a term shows they cost more:
    /// the terms' scores add up, so each term's gaps alone must cost no more than that.
    @inline(__always)
    func score(_ lowerText: UnsafeBufferPointer<C>, _ casedText: UnsafeBufferPointer<C>,
               _ b: UnsafeBufferPointer<Int8>, slack: Int32 = .max) -> Int32? {
        var total: Int32 = 0
        for t in positive {
            guard let r = matcher.score(t.kind, t.sensitive ? casedText : lowerText, b, t.pattern, slack: slack)
            else { return nil }
            total &+= r
        }
        return total
    }

    /// The most the positive terms can score in a name whose characters at bonus places are
    /// `starts` (`Scoring.bound`): a field's `fieldStarts`, or a note's `noteStarts` for all
    /// its names at once.
    @inline(__always)
    func bound(starts: BonusPlaces) -> Int32 {
        var bound: Int32 = 0
        for t in positive { bound &+= Scoring.bound(t.bits, places: starts) }
        return bound
    }

    /// `cap` (from `bound`) less what the gaps of each fuzzy term of three or more characters
    /// must cost in the name at `start` (`Scoring.gapFloor`): reads the name, but costs a
    /// fraction of the dynamic programme. (A term of two characters is scored about as fast as
    /// its window is found.) Nil when such a term does not match there at all.
    func gapCapped(_ cap: Int32, _ start: Int, _ len: Int) -> Int32? {
        var total = cap
        for t in positive where t.kind == .fuzzy && t.pattern.count > 2 {
            let span = FuzzyMatcher.shortestWindow(t.sensitive ? cased : lower, t.pattern, at: start, to: start &+ len)
            if span < 0 { return nil }
            total &-= Scoring.gapFloor(span: span, length: t.pattern.count)
        }
        return total
    }

    /// Whether field `f` can still take a place in the full list, `better` saying what the
    /// note's best name so far leaves it. The masks' cap first (`bound`); only when that lets
    /// it in, the cap less the gaps the name forces (`gapCapped`, which reads it). (`s` is only
    /// read: in-out, the list is not copied.)
    @inline(__always)
    func placement(_ f: Int, _ start: Int, _ len: Int, _ s: inout ScanState, better: (Int32) -> Bool) -> Placement {
        let cap = bound(starts: fieldStarts[f])
        guard s.heap.admits(score: cap, length: len), better(cap) else { return .cannot }
        guard let gapped = gapCapped(cap, start, len) else { return .absent }
        return s.heap.admits(score: gapped, length: len) && better(gapped) ? .may(cap: gapped) : .cannot
    }

    /// A note known to match, with the witness for the next search: only its names shorter
    /// than the bar can still make the list, and they are its last ones (names run longest
    /// first), so they are walked from the end. No inverse terms.
    func visitShort(_ note: Int, _ info: NoteInfo, witness: Witness, _ s: inout ScanState) {
        s.found.record(note, witness)
        // None of its names can make the list: the cap of them all, at the shortest's length.
        if s.heap.isFull && !s.heap.admits(score: bound(starts: noteStarts[note]), length: Int(shortest[note])) { return }
        var bestScore = Int32.min, bestField = -1, bestLength = Int.max
        var f = Int(info.end) &- 1
        while f >= Int(info.first) {
            let field = fields[f]
            let start = Int(field.start), len = Int(field.length)
            if len >= s.bar { break }
            defer { f &-= 1 }
            if field.mask & need != need { continue }
            // Walking back, an equally long name comes earlier in the note, so it wins a tie.
            // (While the list has room every name may take a place.) The least score of use
            // leaves the gaps a slack to the cap: the scorer may stop at the places (`score`).
            var slack = Int32.max
            if s.heap.isFull {
                guard case let .may(cap) = placement(f, start, len, &s, better: { bestScore <= $0 }) else { continue }
                slack = cap &- max(s.heap.floor(length: len), bestScore)
            }
            guard let total = score(UnsafeBufferPointer(rebasing: lower[start..<(start + len)]),
                                    UnsafeBufferPointer(rebasing: cased[start..<(start + len)]),
                                    UnsafeBufferPointer(rebasing: bonus[start..<(start + len)]), slack: slack)
            else { continue }
            if total > bestScore || (total == bestScore && len <= bestLength) {
                bestScore = total
                bestField = f
                bestLength = len
            }
        }
        if bestField >= 0 {
            s.heap.insert(Entry(score: bestScore, length: bestLength, pathLength: index.pathLength[note], note: Int32(note),
                                field: Int32(bestField)))
            s.bar = s.heap.lengthBar(score: scan.ceiling)
        }
    }

    /// Every name of one note looked at: does it match, with which best name and score.
    /// `anyMatch` and `witness` may already be known; `failed` is a field known not to match.
    func visit(_ note: Int, _ info: NoteInfo, anyMatch known: Bool, witness start: Witness, failed: Int,
               _ s: inout ScanState) {
        var anyMatch = known, witness = start
        var bestScore = Int32.min, bestField = -1, bestLength = Int.max
        var excluded = false
        for f in Int(info.first)..<Int(info.end) where f != failed {
            let field = fields[f]
            let start = Int(field.start), len = Int(field.length)
            // Known to match: only a name short enough for the list is still of use.
            if anyMatch && !hasInverse && len >= s.bar { continue }
            // A name missing a needed character is skipped before its text is read (unless an
            // inverse term must still look at it).
            if !hasInverse && field.mask & need != need { continue }
            let b = UnsafeBufferPointer(rebasing: bonus[start..<(start + len)])
            let lowerText = UnsafeBufferPointer(rebasing: lower[start..<(start + len)])
            let casedText = UnsafeBufferPointer(rebasing: cased[start..<(start + len)])
            if hasInverse {
                for t in inverse
                where matcher.match(t.kind, t.sensitive ? casedText : lowerText, b, t.pattern, positions: false) != nil {
                    excluded = true
                }
            }
            if excluded { break }
            if field.mask & need != need { continue }
            // Only whether it matches counts when this name could not make the list: at the
            // ceiling it would have to be shorter; below, `Scoring.bound` says how well the
            // name can score at most.
            var scoreWanted = len < s.bar && (bestScore < scan.ceiling || len < bestLength)
            if scoreWanted && s.heap.isFull {
                switch placement(f, start, len, &s, better: { bestScore < $0 || len < bestLength }) {
                case .absent: continue
                case .cannot: scoreWanted = false
                case .may: break
                }
            }
            if !scoreWanted {
                if anyMatch { continue }
                if scan.maskDecides {
                    anyMatch = true
                    witness = firstOfLast(f)
                } else if let end = matches(start, len, from: 0, pattern: 0, after: -1) {
                    anyMatch = true
                    witness = Witness(field: Int32(f), end: Int32(end))
                }
                continue
            }
            guard let total = score(lowerText, casedText, b) else { continue }
            anyMatch = true
            if witness.field < 0 {
                // Where the last term ends, placed early, lets the next keystroke go on from it.
                let end = positive.isEmpty ? -1 : matches(start, len, from: positive.count &- 1, pattern: 0, after: -1) ?? -1
                witness = Witness(field: Int32(f), end: Int32(end))
            }
            if total > bestScore || (total == bestScore && len < bestLength) {
                bestScore = total
                bestField = f
                bestLength = len
            }
        }
        if excluded || !anyMatch { return }
        s.found.record(note, witness)
        if !scan.hasPositive {
            bestScore = 0
            bestField = Int(index.displayField[note])
            bestLength = bestField < 0 ? 0 : Int(fields[bestField].length)
        }
        if bestField >= 0 {
            s.heap.insert(Entry(score: bestScore, length: bestLength, pathLength: index.pathLength[note], note: Int32(note),
                                field: Int32(bestField)))
            s.bar = s.heap.lengthBar(score: scan.ceiling)
        }
    }

    /// One candidate note (`slot` in the candidates), its witness looked at first.
    func general(_ note: Int, _ slot: Int, _ s: inout ScanState) {
        // No name of the note has every character the terms need (and no inverse term could
        // exclude it from a list it is not on anyway).
        let info = noteInfo[note]
        if info.mask & need != need { return }
        guard resumes, witnesses[slot].field >= 0 else {
            visit(note, info, anyMatch: false, witness: .unknown, failed: -1, &s)
            return
        }
        // Where the shorter query matched: most often the longer one does too.
        let w = witnesses[slot]
        let known = scan.resumeTerm == positive.count
        let goesOn = w.end >= 0 ? scan.resumeOffset : 0
        guard let end = known ? Int(w.end)
            : matches(Int(fields[Int(w.field)].start), Int(fields[Int(w.field)].length),
                      from: scan.resumeTerm, pattern: goesOn, after: Int(w.end)) else {
            visit(note, info, anyMatch: false, witness: .unknown, failed: Int(w.field), &s)
            return
        }
        var witness = w
        witness.end = Int32(end)
        if Int(shortest[note]) >= s.bar {
            s.found.record(note, witness)
        } else {
            visitShort(note, info, witness: witness, &s)
        }
    }

    /// Asks for the memory that looking at the candidate in slot `k` will read, some slots
    /// ahead: the scan runs through megabytes of records and names, and it would otherwise
    /// wait on memory far longer than it computes. Sixteen slots ahead, the note's records and
    /// its witness's; six ahead (those records at hand by then), the text the look starts with
    /// (the witness's from its end, or the note's first name) and the bonuses of its names.
    @inline(__always)
    func prefetch(_ k: Int, _ count: Int) {
        let far = k &+ 16, near = k &+ 6
        if far < count {
            let note = all ? far : Int(candidates[far])
            prefetchElement(noteInfo, note)
            prefetchElement(noteStarts, note)
            prefetchElement(shortest, note)
            if resumes, case let f = Int(witnesses[far].field), f >= 0 {
                prefetchElement(fields, f)
                prefetchElement(fieldStarts, f)
            }
        }
        guard near < count else { return }
        let f: Int, at: Int
        if resumes, case let w = witnesses[near], w.field >= 0 {
            f = Int(w.field)
            at = max(0, Int(w.end))
        } else {
            let info = noteInfo[all ? near : Int(candidates[near])]
            guard info.first < info.end else { return }
            f = Int(info.first)
            at = 0
            prefetchElement(fields, f)
            prefetchElement(fieldStarts, f)
        }
        let start = Int(fields[f].start)
        prefetchElement(lower, start &+ at)
        prefetchElement(bonus, start)
        prefetchElement(bonus, start &+ 64)
    }

    /// Every candidate in turn, the memory of those a few slots on asked for (`prefetch`)
    /// while it is looked at. False when cancelled.
    func run(_ cancel: CancelToken?, _ s: inout ScanState) -> Bool {
        let count = all ? index.noteCount : candidates.count
        let filtersTags = !scan.tags.isEmpty || !scan.excludedTags.isEmpty
        var k = 0
        if resumes && !filtersTags && scan.resumeOffset > 0 && scan.resumeTerm == positive.count - 1
            && positive[scan.resumeTerm].kind == .fuzzy {
            // Typing at the end of a fuzzy term: each note's witness name goes on from where the
            // shorter term ended. Most notes need nothing more.
            let grown = positive[scan.resumeTerm]
            let text = grown.sensitive ? cased : lower
            while k < count {
                if k & 1023 == 0, let cancel, cancel.isCancelled { return false }
                prefetch(k, count)
                let note = Int(candidates[k]), w = witnesses[k]
                k &+= 1
                guard w.end >= 0 else {
                    general(note, k &- 1, &s)
                    continue
                }
                // The new characters are in none of its names, or not in the witness.
                let info = noteInfo[note]
                if info.mask & need != need { continue }
                let field = fields[Int(w.field)]
                if field.mask & need != need {
                    visit(note, info, anyMatch: false, witness: .unknown, failed: Int(w.field), &s)
                    continue
                }
                let start = Int(field.start)
                let e = FuzzyMatcher.greedyEnd(text, grown.pattern, from: scan.resumeOffset,
                                               at: start &+ Int(w.end) &+ 1, to: start &+ Int(field.length))
                if e < 0 {
                    visit(note, info, anyMatch: false, witness: .unknown, failed: Int(w.field), &s)
                    continue
                }
                var witness = w
                witness.end = Int32(truncatingIfNeeded: e &- start)
                if Int(shortest[note]) >= s.bar {
                    s.found.record(note, witness)
                } else {
                    visitShort(note, info, witness: witness, &s)
                }
            }
            return true
        }
        if all && !filtersTags && scan.maskDecides && positive.count == 1 {
            // One character, the first keystroke: the masks alone say which notes match. The
            // witness is the first name holding it (names run longest first).
            while k < count {
                if k & 1023 == 0, let cancel, cancel.isCancelled { return false }
                prefetch(k, count)
                let note = k
                k &+= 1
                let info = noteInfo[note]
                if info.mask & need != need { continue }
                var witness = Witness.unknown
                for f in Int(info.first)..<Int(info.end) where fields[f].mask & need == need {
                    witness = firstOfLast(f)
                    break
                }
                if Int(shortest[note]) >= s.bar {
                    s.found.record(note, witness)
                } else {
                    visitShort(note, info, witness: witness, &s)
                }
            }
            return true
        }
        while k < count {
            if k & 1023 == 0, let cancel, cancel.isCancelled { return false }
            prefetch(k, count)
            let slot = k
            let note = all ? k : Int(candidates[k])
            k &+= 1
            if filtersTags && !scan.tagsAdmit(note, index) { continue }
            general(note, slot, &s)
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
    /// Each pattern character's `CharacterMask` bit.
    var bits: UnsafeBufferPointer<UInt64>
}

/// The terms of one search as `PlainTerm`s (bytes only for ASCII patterns), owning their
/// pattern memory until the search ends.
final class PlainTerms<C: FixedWidthInteger & UnsignedInteger> {
    let terms: [PlainTerm<C>]

    init(_ terms: [QueryTerm]) {
        self.terms = terms.map { t in
            let buffer = UnsafeMutableBufferPointer<C>.allocate(capacity: t.pattern.count)
            _ = buffer.initialize(from: t.pattern.map { C(truncatingIfNeeded: $0) })
            let bits = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: t.pattern.count)
            _ = bits.initialize(from: t.pattern.map { CharacterMask.bit(Fold.lower($0)) })
            return PlainTerm(kind: t.kind, sensitive: t.caseSensitive, pattern: UnsafeBufferPointer(buffer),
                             bits: UnsafeBufferPointer(bits))
        }
    }

    deinit {
        for t in terms {
            UnsafeMutableBufferPointer(mutating: t.pattern).deallocate()
            UnsafeMutableBufferPointer(mutating: t.bits).deallocate()
        }
    }
}

/// What the name index reads of a note.
struct NameSource {
    let title: String
    let name: String
    let path: String
    let aliases: [String]
    let tags: [String]
}

/// The index of a range of notes, field and scalar numbers counted from the range's start:
/// `NameIndex` builds several at once and joins them.
struct IndexPart: Sendable {
    var fieldKind: [NameIndex.FieldKind] = [], fieldText: [String] = []
    var fields: [FieldInfo] = [], noteInfo: [NoteInfo] = [], shortest: [UInt16] = [], displayField: [Int32] = []
    var fieldStarts: [BonusPlaces] = [], noteStarts: [BonusPlaces] = []
    /// The prepared scalars of the part's names.
    let scalars: ScalarStore
    var noteTags: [[String]] = []
    var pathLength: [UInt16] = []
    /// The part's notes (counted from its start) in the empty query's order.
    var listOrder: [Int32] = []
    let range: Range<Int>

    init(_ source: (Int) -> NameSource, _ range: Range<Int>) {
        self.range = range
        // Room for four names of 16 scalars a note, and for the scalars of names far longer
        // (reserved, not used: only the pages written are).
        let notes = range.count, names = notes * 4
        scalars = ScalarStore(capacity: notes * 256)
        fieldKind.reserveCapacity(names)
        fieldText.reserveCapacity(names)
        fields.reserveCapacity(names)
        fieldStarts.reserveCapacity(names)
        noteInfo.reserveCapacity(notes)
        shortest.reserveCapacity(notes)
        displayField.reserveCapacity(notes)
        noteStarts.reserveCapacity(notes)
        noteTags.reserveCapacity(notes)
        pathLength.reserveCapacity(notes)
        // Kept from note to note: the names seen (folded) and the note's names.
        var seen = FoldedNameSet(capacity: 8)
        var noteNames: [(kind: NameIndex.FieldKind, text: String, length: Int)] = []
        var order: [Int] = []
        for i in range {
            let n = source(i)
            let firstField = fields.count
            // The note's names, once each, longest first (in their order when equally long):
            // a query most often matches the longest, so a note is known to match sooner.
            seen.removeAll()
            noteNames.removeAll(keepingCapacity: true)
            func add(_ kind: NameIndex.FieldKind, _ text: String) {
                guard !text.isEmpty, seen.insert(text.folded) else { return }
                noteNames.append((kind, text, scalarCount(text)))
            }
            add(.title, n.title)
            add(.name, n.name)
            // A note at the top of the vault too: its path is its file name with `.md`.
            add(.path, n.path)
            for a in n.aliases { add(.alias, a) }
            // A stable insertion sort: a note has a handful of names.
            order.removeAll(keepingCapacity: true)
            for k in noteNames.indices {
                var j = order.count
                order.append(k)
                while j > 0, noteNames[order[j - 1]].length < noteNames[k].length {
                    order[j] = order[j - 1]
                    j -= 1
                }
                order[j] = k
            }
            var display: Int32 = -1
            var noteMask: UInt64 = 0, notePlaces = BonusPlaces(), short = Int.max
            for k in order {
                let (kind, text, length) = noteNames[k]
                if k == 0 { display = Int32(fields.count) }
                fieldKind.append(kind)
                fieldText.append(text)
                let start = scalars.count
                let (mask, places) = scalars.add(text, length: length)
                fields.append(FieldInfo(start: Int32(start), length: Int32(length), mask: mask))
                fieldStarts.append(places)
                noteMask |= mask
                notePlaces = notePlaces | places
                short = min(short, length)
            }
            displayField.append(display)
            noteInfo.append(NoteInfo(first: Int32(firstField), end: Int32(fields.count), mask: noteMask))
            shortest.append(UInt16(clamping: short == Int.max ? 0 : short))
            noteStarts.append(notePlaces)
            noteTags.append(n.tags.map(\.searchFolded))
            pathLength.append(UInt16(clamping: n.path.utf8.count))
        }
        listOrder = displayField.withUnsafeBufferPointer { display in
            fields.withUnsafeBufferPointer { fields in
                let lower = UnsafeBufferPointer(start: scalars.lower, count: scalars.count)
                return display.indices.sorted { listedBefore($0, $1, display, fields, lower) }.map { Int32($0) }
            }
        }
    }
}

/// True when note `a` is listed before note `b` by the empty query: by the folded scalars of
/// the names they are listed by (`displayField`: their titles), then in note order. Unlike
/// comparing the titles as strings this is a total order for any text (the standard library's
/// `<` finds some NFC and NFD strings neither equal nor ordered), and accents do not move a
/// title to the end of the list.
@inline(__always)
func listedBefore(_ a: Int, _ b: Int, _ display: UnsafeBufferPointer<Int32>, _ fields: UnsafeBufferPointer<FieldInfo>,
                  _ lower: UnsafeBufferPointer<UInt32>) -> Bool {
    let fa = Int(display[a]), fb = Int(display[b])
    let sa = fa < 0 ? 0 : Int(fields[fa].start), la = fa < 0 ? 0 : Int(fields[fa].length)
    let sb = fb < 0 ? 0 : Int(fields[fb].start), lb = fb < 0 ? 0 : Int(fields[fb].length)
    for k in 0..<min(la, lb) where lower[sa + k] != lower[sb + k] { return lower[sa + k] < lower[sb + k] }
    return la != lb ? la < lb : a < b
}

/// Merges two runs of notes in `listedBefore` order, `a`'s notes all before `b`'s.
private func mergeListed(_ a: [Int32], _ b: [Int32], _ display: UnsafeBufferPointer<Int32>,
                         _ fields: UnsafeBufferPointer<FieldInfo>, _ lower: UnsafeBufferPointer<UInt32>) -> [Int32] {
    var out: [Int32] = []
    out.reserveCapacity(a.count + b.count)
    var i = 0, j = 0
    while i < a.count, j < b.count {
        if listedBefore(Int(b[j]), Int(a[i]), display, fields, lower) {
            out.append(b[j])
            j += 1
        } else {
            out.append(a[i])
            i += 1
        }
    }
    out.append(contentsOf: a[i...])
    out.append(contentsOf: b[j...])
    return out
}

/// The prepared scalars of a part's names, side by side in five arrays of its own memory:
/// each name is written in place (folded, accents removed, as bytes, its bonuses), and the
/// arrays are copied once, into the index's. Written by one task, then only read.
///
/// The memory is mapped from the system, not taken from the allocator: room is reserved
/// generously (pages never written cost nothing), and it all goes back to the system when the
/// part is freed. Freed to the allocator, 100,000 notes' worth stayed resident (+54 MiB).
final class ScalarStore: @unchecked Sendable {
    private(set) var count = 0
    private var capacity = 0
    private var region: UnsafeMutableRawPointer?
    private var regionSize = 0
    private(set) var lower = UnsafeMutablePointer<UInt32>(bitPattern: 0x10)!
    private(set) var cased = UnsafeMutablePointer<UInt32>(bitPattern: 0x10)!
    private(set) var lower8 = UnsafeMutablePointer<UInt8>(bitPattern: 0x10)!
    private(set) var cased8 = UnsafeMutablePointer<UInt8>(bitPattern: 0x10)!
    private(set) var bonus = UnsafeMutablePointer<Int8>(bitPattern: 0x10)!

    /// Bytes a scalar takes over the five arrays.
    private static let bytesPerScalar = 4 + 4 + 1 + 1 + 1

    init(capacity: Int) { grow(to: max(capacity, 1_024)) }

    deinit { if let region { munmap(region, regionSize) } }

    /// Moves the arrays to a region for `newCapacity` scalars.
    private func grow(to newCapacity: Int) {
        let page = max(4_096, Int(sysconf(Int32(_SC_PAGESIZE))))
        let size = (newCapacity * Self.bytesPerScalar + page - 1) / page * page
        #if canImport(Darwin)
        let flags = MAP_PRIVATE | MAP_ANON
        #else
        let flags = MAP_PRIVATE | MAP_ANONYMOUS
        #endif
        guard let raw = mmap(nil, size, PROT_READ | PROT_WRITE, flags, -1, 0), raw != MAP_FAILED else {
            fatalError("out of memory for the name index (\(size) bytes)")
        }
        // The four-byte arrays first, so every array is aligned.
        let lower = raw.bindMemory(to: UInt32.self, capacity: newCapacity)
        let cased = (raw + 4 * newCapacity).bindMemory(to: UInt32.self, capacity: newCapacity)
        let lower8 = (raw + 8 * newCapacity).bindMemory(to: UInt8.self, capacity: newCapacity)
        let cased8 = (raw + 9 * newCapacity).bindMemory(to: UInt8.self, capacity: newCapacity)
        let bonus = (raw + 10 * newCapacity).bindMemory(to: Int8.self, capacity: newCapacity)
        if let old = region {
            lower.initialize(from: self.lower, count: count)
            cased.initialize(from: self.cased, count: count)
            lower8.initialize(from: self.lower8, count: count)
            cased8.initialize(from: self.cased8, count: count)
            bonus.initialize(from: self.bonus, count: count)
            munmap(old, regionSize)
        }
        (region, regionSize, capacity) = (raw, size, newCapacity)
        (self.lower, self.cased, self.lower8, self.cased8, self.bonus) = (lower, cased, lower8, cased8, bonus)
    }

    /// Room for `more` scalars after the `count` there.
    private func reserve(_ more: Int) {
        if count + more > capacity { grow(to: max(count + more, 2 * capacity)) }
    }

    /// Adds the `length` scalars of `text`; returns the characters it holds and where they
    /// earn a bonus. Reads the UTF-8 itself: most names are ASCII, and an ASCII character
    /// needs no table.
    func add(_ text: String, length: Int) -> (mask: UInt64, places: BonusPlaces) {
        reserve(length)
        var copy = text
        // The arrays' addresses held in locals, so that writing through one does not make the
        // compiler load the others again.
        let lower = lower, cased = cased, lower8 = lower8, cased8 = cased8, bonuses = bonus
        return copy.withUTF8 { b in
            var mask: UInt64 = 0, any: UInt64 = 0, white: UInt64 = 0, previous = Scoring.CharClass.white
            var i = 0, k = count
            while i < b.count {
                // A string's UTF-8 is valid: each lead byte says how many bytes follow.
                let lead = b[i]
                let v: UInt32
                if lead < 0x80 {
                    v = UInt32(lead)
                    i += 1
                } else if lead < 0xE0 {
                    v = UInt32(lead & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                    i += 2
                } else if lead < 0xF0 {
                    v = UInt32(lead & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                    i += 3
                } else {
                    v = UInt32(lead & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                        | UInt32(b[i + 3] & 0x3F)
                    i += 4
                }
                let l = v < 0x80 ? (v &- 0x41 < 26 ? v | 0x20 : v) : Fold.lower(v)
                let c = v < 0x80 ? v : Fold.base(v)
                let charClass = Scoring.charClass(v)
                let bonus = Int8(truncatingIfNeeded: Scoring.bonus(previous, charClass))
                previous = charClass
                lower[k] = l
                cased[k] = c
                lower8[k] = l < 0x80 ? UInt8(truncatingIfNeeded: l) : 0xFF
                cased8[k] = c < 0x80 ? UInt8(truncatingIfNeeded: c) : 0xFF
                bonuses[k] = bonus
                let bit = CharacterMask.bit(l)
                mask |= bit
                // As `BonusPlaces.add`.
                if bonus > 0 {
                    any |= bit
                    if Int32(bonus) == Scoring.bonusBoundaryWhite { white |= bit }
                }
                k += 1
            }
            precondition(k - count == length, "a name's scalars were miscounted")
            count = k
            var places = BonusPlaces()
            places.any = any
            places.white = white
            return (mask, places)
        }
    }

    /// One of the arrays of several stores, joined in order.
    static func joined<T>(_ stores: [ScalarStore], _ array: (ScalarStore) -> UnsafeMutablePointer<T>) -> [T] {
        let total = stores.reduce(0) { $0 + $1.count }
        return [T](unsafeUninitializedCapacity: total) { buffer, initialized in
            var at = 0
            for s in stores where s.count > 0 {
                (buffer.baseAddress! + at).initialize(from: array(s), count: s.count)
                at += s.count
            }
            initialized = at
        }
    }
}

/// The number of Unicode scalars of `text`: its UTF-8 bytes that start one.
private func scalarCount(_ text: String) -> Int {
    var copy = text
    return copy.withUTF8 { b in
        var n = 0
        for c in b where c & 0xC0 != 0x80 { n += 1 }
        return n
    }
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

    /// True when the bit of `lower` is set for that character alone (a to z, 0 to 9).
    static func isExact(_ lower: UInt32) -> Bool {
        (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower)
    }
}

struct Entry {
    let score: Int32
    let length: Int
    let pathLength: UInt16
    let note: Int32
    let field: Int32

    /// Better: higher score, then shorter text, then shorter path, then earlier note. (The
    /// scan prunes by score and text length only: an entry that ties with the list's worst
    /// on both is always looked at, its path may win.)
    @inline(__always) func better(than o: Entry) -> Bool {
        if score != o.score { return score > o.score }
        if length != o.length { return length < o.length }
        if pathLength != o.pathLength { return pathLength < o.pathLength }
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

    var isFull: Bool { items.count == limit }

    /// False when an entry of this score and length could not take a place (one that ties
    /// the worst entry on both may, by a shorter path).
    @inline(__always) func admits(score: Int32, length: Int) -> Bool {
        guard items.count == limit, let worst = items.first else { return true }
        return score > worst.score || (score == worst.score && length <= worst.length)
    }

    /// The least score an entry of this length needs to take a place, when the heap is full
    /// (at the worst entry's length, its score: a shorter path may win the tie).
    @inline(__always) func floor(length: Int) -> Int32 {
        let worst = items[0]
        return length <= worst.length ? worst.score : worst.score &+ 1
    }

    /// The length from which an entry of this score could not take a place: `Int.max` while
    /// the heap has room or the score beats its worst entry.
    func lengthBar(score: Int32) -> Int {
        guard items.count == limit, let worst = items.first else { return Int.max }
        return score > worst.score ? Int.max : score == worst.score ? worst.length &+ 1 : 0
    }
}
