/// A text prepared for matching: folded scalars (lower-cased and accent-free; accent-free
/// with case kept, for smart case) and the bonus of each position.
public struct PreparedText: Sendable {
    public let lower: [UInt32]
    public let cased: [UInt32]
    public let bonus: [Int8]

    public init(_ s: String) {
        let scalars = s.unicodeScalars.map(\.value)
        lower = scalars.map(Fold.lower)
        cased = scalars.map(Fold.base)
        bonus = Scoring.bonuses(scalars)
    }
}

/// One space-separated term of a finder query, in fzf's syntax.
public struct QueryTerm: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case fuzzy
        /// `'word`: an exact substring.
        case exact
        /// `^word`: the text starts with it.
        case prefix
        /// `word$`: the text ends with it.
        case suffix
        /// `^word$`: the whole text.
        case equal
        /// `#tag`: the note has this tag (or one nested under it, or starting with it).
        case tag
    }

    public let kind: Kind
    /// `!term`: the note must not match (exact substring by default, as in fzf); `!#tag`: the
    /// note must not have the tag.
    public let inverse: Bool
    /// The term's text without its syntax.
    public let text: String
    /// Smart case: a term with an upper-case letter matches case-sensitively.
    public let caseSensitive: Bool
    /// Folded scalars to match.
    public let pattern: [UInt32]
}

public enum QueryParser {
    /// Splits on spaces (`\ ` keeps a space inside a term) and reads each term's syntax.
    public static func parse(_ query: String) -> [QueryTerm] {
        var words: [String] = []
        var current = ""
        var escaped = false
        for ch in query {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == " " || ch == "\t" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        if escaped { current.append("\\") }
        if !current.isEmpty { words.append(current) }
        return words.compactMap(term)
    }

    static func term(_ word: String) -> QueryTerm? {
        var w = Substring(word)
        var inverse = false
        if w.hasPrefix("!") && w.count > 1 { inverse = true; w.removeFirst() }
        var kind = QueryTerm.Kind.fuzzy
        if w.hasPrefix("#") && w.count > 1 {
            w.removeFirst()
            kind = .tag
        } else if w.hasPrefix("'") && w.count > 1 {
            w.removeFirst()
            kind = .exact
        } else {
            let pre = w.hasPrefix("^") && w.count > 1
            if pre { w.removeFirst() }
            let suf = w.hasSuffix("$") && w.count > 1 && !w.hasSuffix("\\$")
            if suf { w.removeLast() }
            kind = pre && suf ? .equal : pre ? .prefix : suf ? .suffix : (inverse ? .exact : .fuzzy)
        }
        guard !w.isEmpty else { return nil }
        let text = String(w)
        let scalars = text.unicodeScalars.map(\.value)
        let sensitive = kind != .tag && scalars.contains(where: Fold.isUpper)
        return QueryTerm(kind: kind, inverse: inverse, text: text, caseSensitive: sensitive,
                         pattern: scalars.map(sensitive ? Fold.base : Fold.lower))
    }
}

extension FuzzyMatcher {
    /// Matches one (non-tag) term against a prepared text.
    public func match(_ term: QueryTerm, in text: PreparedText, positions: Bool) -> MatchResult? {
        let hay = term.caseSensitive ? text.cased : text.lower
        return hay.withUnsafeBufferPointer { h in
            text.bonus.withUnsafeBufferPointer { b in
                term.pattern.withUnsafeBufferPointer { p in
                    match(term, h, b, p, positions: positions)
                }
            }
        }
    }

    @inline(__always)
    func match(_ term: QueryTerm, _ h: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<Int8>,
               _ p: UnsafeBufferPointer<UInt32>, positions: Bool) -> MatchResult? {
        match(term.kind, h, b, p, positions: positions)
    }

    @inline(__always)
    func match<C: FixedWidthInteger & UnsignedInteger>(
        _ kind: QueryTerm.Kind, _ h: UnsafeBufferPointer<C>, _ b: UnsafeBufferPointer<Int8>,
        _ p: UnsafeBufferPointer<C>, positions: Bool) -> MatchResult? {
        switch kind {
        case .fuzzy: return match(h, b, p, positions: positions)
        case .exact: return substring(h, b, p, anchor: .none, positions: positions)
        case .prefix: return substring(h, b, p, anchor: .start, positions: positions)
        case .suffix: return substring(h, b, p, anchor: .end, positions: positions)
        case .equal: return substring(h, b, p, anchor: .both, positions: positions)
        case .tag: return MatchResult(score: 0, positions: [])
        }
    }

    /// The score alone of one term, nil when it does not match (see `score(_:_:_:slack:)`;
    /// the slack serves fuzzy terms only).
    @inline(__always)
    func score<C: FixedWidthInteger & UnsignedInteger>(
        _ kind: QueryTerm.Kind, _ h: UnsafeBufferPointer<C>, _ b: UnsafeBufferPointer<Int8>,
        _ p: UnsafeBufferPointer<C>, slack: Int32 = .max) -> Int32? {
        kind == .fuzzy ? score(h, b, p, slack: slack) : match(kind, h, b, p, positions: false)?.score
    }

    /// Scores a whole query against one text: every positive term must match and their
    /// scores add up; an inverse term that matches rejects the text. Tag terms are ignored
    /// here (they filter notes, not texts).
    public func match(_ terms: [QueryTerm], in text: PreparedText, positions: Bool) -> MatchResult? {
        var total: Int32 = 0
        var all: [Int] = []
        for t in terms where t.kind != .tag {
            let r = match(t, in: text, positions: positions && !t.inverse)
            if t.inverse {
                if r != nil { return nil }
                continue
            }
            guard let r else { return nil }
            total += r.score
            all += r.positions
        }
        return MatchResult(score: total, positions: positions ? Array(Set(all)).sorted() : [])
    }
}
