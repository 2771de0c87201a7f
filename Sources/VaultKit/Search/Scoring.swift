import Foundation

// The scoring model of the fuzzy finder. Our own constants, in the spirit of fzf:
//
//   every matched character        scoreMatch (16) + its bonus
//   bonus at a word start          after whitespace or at the start 10, after a delimiter
//                                  (/ - _ . , : ; |) 9, after any other non-word character 8
//   bonus at a switch              lower→Upper (camelCase) or letter→digit 7
//   a non-word character matched   8 (so `/` and `.` in queries count)
//   consecutive characters         a run keeps the bonus of its first character: each later
//                                  character earns max(its own bonus, the run's first bonus, 4)
//   first query character          its bonus counts double
//   a gap between matches          -3 for the first skipped character, -1 for each further one
//
// Unmatched characters before the first and after the last match cost nothing.

public enum Scoring {
    public static let scoreMatch: Int32 = 16
    public static let gapStart: Int32 = -3
    public static let gapExtension: Int32 = -1
    public static let bonusBoundaryWhite: Int32 = 10
    public static let bonusBoundaryDelimiter: Int32 = 9
    public static let bonusBoundary: Int32 = 8
    public static let bonusNonWord: Int32 = 8
    public static let bonusCamel: Int32 = 7
    public static let bonusConsecutive: Int32 = 4
    public static let firstCharMultiplier: Int32 = 2

    enum CharClass: UInt8 { case white, delimiter, nonWord, lower, upper, letter, number }

    @inline(__always)
    static func charClass(_ v: UInt32) -> CharClass {
        if v < 0x80 {
            let b = UInt8(truncatingIfNeeded: v)
            if b &- 0x61 < 26 { return .lower }
            if b &- 0x41 < 26 { return .upper }
            if b &- 0x30 < 10 { return .number }
            // Bit sets of the ASCII whitespace and delimiters (/ - _ . , : ; |), below and from 64.
            let bit = UInt64(1) << UInt64(b & 63)
            if b < 64 {
                if asciiWhite & bit != 0 { return .white }
                return asciiDelimitersLow & bit != 0 ? .delimiter : .nonWord
            }
            return asciiDelimitersHigh & bit != 0 ? .delimiter : .nonWord
        }
        // Latin-1 letters (names in most European languages): upper case up to U+00DE, lower
        // case from U+00DF, but for × and ÷.
        if v >= 0xC0, v <= 0xFF, v != 0xD7, v != 0xF7 { return v < 0xDF ? .upper : .lower }
        // CJK ideographs and kana: letters without case.
        if (0x4E00...0x9FFF).contains(v) || (0x3041...0x3096).contains(v) || (0x30A1...0x30FA).contains(v) { return .letter }
        return charClassByProperties(v)
    }

    private static let asciiWhite: UInt64 = 1 << 0x20 | 1 << 0x09 | 1 << 0x0A | 1 << 0x0D
    private static let asciiDelimitersLow: UInt64 = 1 << 0x2F | 1 << 0x2D | 1 << 0x2E | 1 << 0x2C | 1 << 0x3A | 1 << 0x3B
    private static let asciiDelimitersHigh: UInt64 = 1 << (0x5F - 64) | 1 << (0x7C - 64)

    /// `charClass` from the scalar's Unicode properties: the definition the fast paths above
    /// must agree with (a test checks every scalar they answer for).
    static func charClassByProperties(_ v: UInt32) -> CharClass {
        guard let u = Unicode.Scalar(v) else { return .nonWord }
        if v < 0x80 {
            switch UInt8(v) {
            case UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "|"):
                return .delimiter
            case 0x20, 0x09, 0x0A, 0x0D: return .white
            case 0x0B, 0x0C: return .nonWord
            default: break
            }
        }
        let p = u.properties
        if p.isWhitespace { return .white }
        if p.isLowercase { return .lower }
        if p.isUppercase { return .upper }
        if p.isAlphabetic || p.isEmoji && v > 0x2000 { return .letter }
        if p.numericType != nil { return .number }
        return .nonWord
    }

    @inline(__always)
    static func bonus(_ prev: CharClass, _ cur: CharClass) -> Int32 {
        switch cur {
        case .white: return bonusBoundaryWhite
        case .delimiter, .nonWord: return bonusNonWord
        default: break
        }
        switch prev {
        case .white: return bonusBoundaryWhite
        case .delimiter: return bonusBoundaryDelimiter
        case .nonWord: return bonusBoundary
        default: break
        }
        if prev == .lower && cur == .upper { return bonusCamel }
        if prev != .number && cur == .number { return bonusCamel }
        return 0
    }

    /// The bonus of every position of a text given as original-case scalars.
    static func bonuses(_ scalars: [UInt32]) -> [Int8] {
        var out = [Int8](repeating: 0, count: scalars.count)
        var prev = CharClass.white
        for (i, v) in scalars.enumerated() {
            let c = charClass(v)
            out[i] = Int8(bonus(prev, c))
            prev = c
        }
        return out
    }

    /// The most a term of `length` characters can score: all of them in one run that starts
    /// at the start of the text or after whitespace (the highest bonus, counted double for
    /// the first character and kept by the run). Every term kind scores at most this.
    public static func ceiling(length: Int) -> Int32 {
        guard length > 0 else { return 0 }
        // Unchecked: a query is far shorter than the 100 million characters it would take.
        let m = Int32(truncatingIfNeeded: length)
        return m &* scoreMatch &+ bonusBoundaryWhite &* firstCharMultiplier &+ (m &- 1) &* bonusBoundaryWhite
    }

    /// The most a term can score in a text, knowing only which of its characters (`bits`, one
    /// `CharacterMask` bit each) the text holds where they earn a bonus (`places`): a character
    /// at no bonus place earns no bonus of its own, one at a white boundary (the start, after
    /// whitespace) at most the highest, one only at other bonus places at most the delimiter
    /// bonus (the highest of the others). Within a run a character earns at most the best bonus
    /// before it or the consecutive bonus; a gap only costs. At most `ceiling`, and far less for
    /// a text whose word starts hold none of the term's characters.
    @inline(__always)
    static func bound(_ bits: UnsafeBufferPointer<UInt64>, places: BonusPlaces) -> Int32 {
        guard let first = bits.first else { return 0 }
        // From a white boundary every later character keeps the highest bonus: the ceiling.
        if places.white & first != 0 { return ceiling(length: bits.count) }
        @inline(__always) func own(_ b: UInt64) -> Int32 {
            places.white & b != 0 ? bonusBoundaryWhite : places.any & b != 0 ? bonusBoundaryDelimiter : 0
        }
        var best = own(first)
        var total = scoreMatch &+ best &* firstCharMultiplier
        for b in bits.dropFirst() {
            best = max(best, own(b))
            total &+= scoreMatch &+ max(best, bonusConsecutive)
        }
        return total
    }

    /// The least the gaps of any alignment of a term of `length` characters cost, when the
    /// shortest stretch of text holding it (`FuzzyMatcher.shortestWindow`) is `span` long: the
    /// gaps of an alignment add up to its span less `length`, and each gap costs 2 more than
    /// the characters it skips (`gapStart`, then `gapExtension` per further character). The
    /// bonuses are capped alone (`bound`), so a text whose only alignments are spread out is
    /// capped lower by this much.
    @inline(__always)
    static func gapFloor(span: Int, length: Int) -> Int32 {
        guard span > length else { return 0 }
        return Int32(truncatingIfNeeded: span &- length) &* -gapExtension &+ (-gapStart &+ gapExtension)
    }

    /// The score of one alignment (`positions` strictly increasing, one per query character).
    /// The reference definition the dynamic programme must agree with.
    public static func score(bonuses: [Int8], positions: [Int]) -> Int32 {
        var total: Int32 = 0
        var runBonus: Int32 = 0
        for (i, p) in positions.enumerated() {
            let b = Int32(bonuses[p])
            if i > 0 && p == positions[i - 1] + 1 {
                total += scoreMatch + max(b, runBonus, bonusConsecutive)
            } else {
                if i > 0 {
                    let gap = Int32(p - positions[i - 1] - 1)
                    total += gapStart + (gap - 1) * gapExtension
                }
                runBonus = b
                total += scoreMatch + (i == 0 ? b * firstCharMultiplier : b)
            }
        }
        return total
    }
}

extension String {
    /// The text as the finder compares it: lower case, accents dropped (`Café` → `cafe`,
    /// a decomposed `e\u{301}` too), other scripts as they are. For `#tag` terms, so that
    /// `#cafe` finds `#café` as `cafe` finds `Café`.
    public var searchFolded: String {
        var out = String.UnicodeScalarView()
        for u in folded.unicodeScalars {
            // Combining diacritical marks (a decomposed accent) are dropped.
            if (0x300...0x36F).contains(u.value) { continue }
            out.append(Unicode.Scalar(Fold.lower(u.value)) ?? u)
        }
        return String(out)
    }
}

/// Folding for matching: lower case (unless smart case asks otherwise) and accents removed,
/// one scalar for one scalar so positions map back to the text.
enum Fold {
    /// Latin letters with diacritics (U+00C0–U+024F) to their base letter; 0 where none.
    private static let latin: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 0x250 - 0xC0)
        for v in UInt32(0xC0)..<0x250 {
            guard let u = Unicode.Scalar(v) else { continue }
            // Canonical decomposition of one scalar: its first scalar is the base letter.
            let decomposed = String(u).decomposedBase
            if let base = decomposed, base != v { table[Int(v - 0xC0)] = base }
        }
        let extra: [(UInt32, Character)] = [
            (0xD8, "O"), (0xF8, "o"), (0xDF, "s"), (0x110, "D"), (0x111, "d"), (0x141, "L"), (0x142, "l"),
            (0x126, "H"), (0x127, "h"), (0x131, "i"), (0xC6, "A"), (0xE6, "a"), (0x152, "O"), (0x153, "o"),
            (0xD0, "D"), (0xF0, "d"), (0xDE, "T"), (0xFE, "t"),
        ]
        for (v, c) in extra { table[Int(v - 0xC0)] = c.unicodeScalars.first!.value }
        return table
    }()

    /// Accent-folded scalar, case kept.
    @inline(__always)
    static func base(_ v: UInt32) -> UInt32 {
        if v < 0xC0 { return v }
        if v < 0x250 { let b = latin[Int(v - 0xC0)]; return b == 0 ? v : b }
        return v
    }

    /// Accent-folded and lower-cased scalar.
    @inline(__always)
    static func lower(_ v: UInt32) -> UInt32 {
        let b = base(v)
        if b < 0x80 { return (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b }
        guard let u = Unicode.Scalar(b) else { return b }
        if !u.properties.changesWhenLowercased { return b }
        let m = u.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? m.first!.value : b
    }

    @inline(__always)
    static func isUpper(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        return Unicode.Scalar(v)?.properties.isUppercase ?? false
    }
}

private extension String {
    /// The first scalar of the canonical decomposition of a one-scalar string (é → e).
    var decomposedBase: UInt32? {
        decomposedStringWithCanonicalMapping.unicodeScalars.first?.value
    }
}

/// Which characters a text holds where they earn a bonus, as `CharacterMask`s: at any bonus
/// place (a word start, a switch, a non-word character), and at a white boundary (the start of
/// the text, after whitespace, whitespace itself: the highest bonus). `Scoring.bound` caps a
/// score from them without reading the text.
struct BonusPlaces {
    var any: UInt64 = 0
    var white: UInt64 = 0

    init() {}

    /// From a text's folded scalars and their bonuses (`Scoring.bonuses`).
    init<S: Sequence>(lower: S, bonuses: [Int8]) where S.Element == UInt32 {
        for (l, b) in zip(lower, bonuses) { add(lower: l, bonus: b) }
    }

    /// Counts one more character: its folded scalar and its bonus.
    @inline(__always)
    mutating func add(lower l: UInt32, bonus b: Int8) {
        guard b > 0 else { return }
        any |= CharacterMask.bit(l)
        if Int32(b) == Scoring.bonusBoundaryWhite { white |= CharacterMask.bit(l) }
    }

    /// Both texts' places: a cap for either.
    static func | (a: BonusPlaces, b: BonusPlaces) -> BonusPlaces {
        var u = a
        u.any |= b.any
        u.white |= b.white
        return u
    }
}
