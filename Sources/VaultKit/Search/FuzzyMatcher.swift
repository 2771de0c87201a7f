// An fzf-class fuzzy matcher, written for mycel. `match` finds the alignment of a pattern in
// a text with the best score under `Scoring` by dynamic programming, exactly: a run's score
// depends on the bonus of its first character, so each cell keeps one state per kind of run
// start (five bonus values). Very long texts fall back to a greedy alignment.
// Matching works on folded scalars (`[UInt32]`) and reuses its scratch buffers: nothing is
// allocated per text, and no `Character` is built.

private let negative: Int32 = Int32.min / 4
/// The distinct run-start bonuses, by state index. Index 0 stands for every bonus at or
/// below the consecutive bonus (they behave alike inside a run).
private let stateBonus: [Int32] = [0, Scoring.bonusCamel, Scoring.bonusBoundary, Scoring.bonusBoundaryDelimiter, Scoring.bonusBoundaryWhite]
private let states = 5

@inline(__always)
private func stateIndex(_ b: Int32) -> Int {
    switch b {
    case Scoring.bonusBoundaryWhite: return 4
    case Scoring.bonusBoundaryDelimiter: return 3
    case Scoring.bonusBoundary: return 2
    case Scoring.bonusCamel: return 1
    default: return 0
    }
}

/// `FuzzyMatcher.pair`'s walk over the places of its two characters, in order of place.
private struct PairWalk {
    var best = negative
    /// The best of start(j1) - j1 * gapExtension over the first characters folded in: a gap
    /// from a first character at j1 to a second at j2 costs gapStart + (j2 - j1 - 2) *
    /// gapExtension, and the part that depends on j1 is kept here.
    var gap = negative
    /// The latest first character, not yet in `gap` while a second may follow it directly.
    var pending = -1, pendingStart = negative, pendingBonus: Int32 = 0

    /// A place `j` of the second character, of bonus `b`: it continues a run from the place
    /// just before, or ends a gap from the best earlier first character.
    @inline(__always)
    mutating func second(_ j: Int, _ b: Int32) {
        let match = Scoring.scoreMatch, gapExt = Scoring.gapExtension
        if pending >= 0 && pending == j &- 1 {
            best = max(best, pendingStart + match + max(b, max(pendingBonus, Scoring.bonusConsecutive)))
        } else if pending >= 0 {
            gap = max(gap, pendingStart - Int32(truncatingIfNeeded: pending) * gapExt)
            pending = -1
        }
        if gap != negative {
            best = max(best, gap + Int32(truncatingIfNeeded: j) * gapExt + (Scoring.gapStart - 2 * gapExt) + match + b)
        }
    }

    /// A place `j` of the first character: the one before it can only start a gap from now on.
    @inline(__always)
    mutating func first(_ j: Int, _ b: Int32) {
        if pending >= 0 { gap = max(gap, pendingStart - Int32(truncatingIfNeeded: pending) * Scoring.gapExtension) }
        pending = j
        pendingStart = Scoring.scoreMatch + b * Scoring.firstCharMultiplier
        pendingBonus = b
    }
}

public struct MatchResult: Sendable, Equatable {
    public var score: Int32
    /// Matched scalar offsets in the text, increasing; empty unless asked for.
    public var positions: [Int]
}

/// Reusable matcher state. Not thread-safe: one per searching thread.
public final class FuzzyMatcher {
    /// Match spans longer than this many characters use the greedy alignment.
    public static let exactLimit = 20_000

    // Scratch memory, grown on demand and reused across calls. Raw pointers keep the hot
    // loops free of bounds and exclusivity checks.
    private var first = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private var last = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private var patternCapacity = 1
    private var occ = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var occCapacity = 1
    private var rowStart = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    private var cell = UnsafeMutablePointer<Int32>.allocate(capacity: 5)
    private var cellEnd = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    deinit {
        first.deallocate(); last.deallocate(); occ.deallocate(); rowStart.deallocate()
        cell.deallocate(); cellEnd.deallocate()
    }

    private func reservePattern(_ m: Int) {
        guard m > patternCapacity else { return }
        first.deallocate(); last.deallocate(); rowStart.deallocate()
        patternCapacity = m * 2
        first = .allocate(capacity: patternCapacity)
        last = .allocate(capacity: patternCapacity)
        rowStart = .allocate(capacity: patternCapacity + 1)
    }

    private func reserveCells(_ n: Int) {
        guard n > occCapacity else { return }
        occCapacity = max(n, occCapacity * 2)
        occ.deallocate(); cell.deallocate(); cellEnd.deallocate()
        occ = .allocate(capacity: occCapacity)
        cell = .allocate(capacity: occCapacity * states)
        cellEnd = .allocate(capacity: occCapacity)
    }

    public init() {}

    /// Scores `pattern` against `text` (both folded the same way); nil when the pattern is not
    /// a subsequence of the text.
    /// The text and pattern are folded scalars (`UInt32`), or, for ASCII patterns, bytes where
    /// every non-ASCII scalar is 0xFF (`UInt8`, a quarter of the memory to walk).
    public func match<C: FixedWidthInteger & UnsignedInteger>(
        _ text: UnsafeBufferPointer<C>, _ bonus: UnsafeBufferPointer<Int8>,
        _ pattern: UnsafeBufferPointer<C>, positions wantPositions: Bool) -> MatchResult? {
        let m = pattern.count, n = text.count
        guard m > 0 else { return MatchResult(score: 0, positions: []) }
        guard m <= n else { return nil }
        if m == 1 {
            let (best, at) = Self.single(text, bonus, pattern[0])
            return best == negative ? nil : MatchResult(score: best, positions: wantPositions ? [at] : [])
        }
        if m == 2 && !wantPositions && n <= Self.exactLimit {
            let best = Self.pair(text, bonus, pattern[0], pattern[1])
            return best == negative ? nil : MatchResult(score: best, positions: [])
        }
        // Earliest place for each pattern character (greedy forward), latest (greedy backward).
        reservePattern(m)
        let first = self.first, last = self.last
        var j = 0
        for i in 0..<m {
            j = WordScan.first(pattern[i], in: text, from: j, to: n)
            if j == n { return nil }
            first[i] = j
            j += 1
        }
        j = n - 1
        for i in stride(from: m - 1, through: 0, by: -1) {
            j = WordScan.last(pattern[i], in: text, from: 0, through: j)
            last[i] = j
            j -= 1
        }
        let lo = first[0], hi = last[m - 1]
        if hi - lo + 1 > Self.exactLimit { return greedy(text, bonus, pattern, wantPositions) }
        return exact(text, bonus, pattern, lo: lo, hi: hi, wantPositions)
    }

    /// The score alone of a fuzzy pattern, nil when it does not match: the name index's loop,
    /// which needs no positions, and no `MatchResult` to build and release per name. With a
    /// `slack` (what the gaps of an alignment may cost before it scores too little to be of
    /// use), also nil for a pattern of two characters whose every alignment costs more, when
    /// that shows before its places are walked.
    @inline(__always)
    func score<C: FixedWidthInteger & UnsignedInteger>(
        _ text: UnsafeBufferPointer<C>, _ bonus: UnsafeBufferPointer<Int8>, _ pattern: UnsafeBufferPointer<C>,
        slack: Int32 = .max) -> Int32? {
        let m = pattern.count
        var best = negative
        if m == 1 {
            best = Self.single(text, bonus, pattern[0]).score
        } else if m == 2 && text.count <= Self.exactLimit {
            best = Self.pair(text, bonus, pattern[0], pattern[1], slack: slack)
        } else {
            return match(text, bonus, pattern, positions: false)?.score
        }
        return best == negative ? nil : best
    }

    /// The best-placed occurrence of one character, in one walk (`negative` when none).
    private static func single<C: FixedWidthInteger & UnsignedInteger>(
        _ text: UnsafeBufferPointer<C>, _ bonus: UnsafeBufferPointer<Int8>, _ c: C) -> (score: Int32, at: Int) {
        let n = text.count
        var k = WordScan.first(c, in: text, from: 0, to: n)
        var best = negative, at = k
        while k < n {
            let s = Scoring.scoreMatch + Int32(bonus[k]) * Scoring.firstCharMultiplier
            if s > best { best = s; at = k }
            k = WordScan.first(c, in: text, from: k + 1, to: n)
        }
        return (best, at)
    }

    // Sparse dynamic programme: row i visits only the places where pattern character i
    // occurs, so the work follows the number of occurrences, not the text's length.
    // occ holds the occurrence columns row after row (row i is occ[rowStart[i]..<rowStart[i+1]]);
    // cell holds `states` scores per occurrence and cellEnd the best of them.

    private func exact<C: FixedWidthInteger & UnsignedInteger>(
        _ text: UnsafeBufferPointer<C>, _ bonus: UnsafeBufferPointer<Int8>,
        _ pattern: UnsafeBufferPointer<C>, lo: Int, hi: Int, _ wantPositions: Bool) -> MatchResult? {
        let m = pattern.count
        // Collect the occurrences of each pattern character within its feasible range.
        // At most (span) occurrences per row.
        reserveCells((hi - lo + 1) * m)
        let occ = self.occ, rowStart = self.rowStart, cell = self.cell, cellEnd = self.cellEnd
        let first = self.first, last = self.last
        var total = 0
        for i in 0..<m {
            rowStart[i] = total
            let c = pattern[i]
            let end = last[i] + 1
            var j = first[i]
            while j < end {
                occ[total] = Int32(j)
                total += 1
                j = WordScan.first(c, in: text, from: j + 1, to: end)
            }
        }
        rowStart[m] = total
        let match = Scoring.scoreMatch, consecutive = Scoring.bonusConsecutive
        let gapStart = Scoring.gapStart, gapExt = Scoring.gapExtension

        for i in 0..<m {
            let r0 = rowStart[i], r1 = rowStart[i + 1]
            let p0 = i > 0 ? rowStart[i - 1] : 0, p1 = i > 0 ? r0 : 0
            var gapPtr = p0            // previous-row occurrences with column <= j - 2 folded in
            var gapBest = negative     // max over them of End[k] - k * gapExt
            var diagPtr = p0           // previous-row occurrence at column j - 1, if any
            for x in r0..<r1 {
                let j = Int(occ[x])
                let b = Int32(bonus[j])
                let base = x * states
                for s in 0..<states { cell[base + s] = negative }
                var startScore: Int32 = negative
                if i == 0 {
                    startScore = match + b * Scoring.firstCharMultiplier
                } else {
                    while gapPtr < p1 && Int(occ[gapPtr]) <= j - 2 {
                        let e = cellEnd[gapPtr]
                        if e != negative { gapBest = max(gapBest, e - Int32(occ[gapPtr]) * gapExt) }
                        gapPtr += 1
                    }
                    if gapBest != negative {
                        startScore = gapBest + Int32(j - 2) * gapExt + gapStart + match + b
                    }
                    while diagPtr < p1 && Int(occ[diagPtr]) < j - 1 { diagPtr += 1 }
                    if diagPtr < p1 && Int(occ[diagPtr]) == j - 1 {
                        let pb = diagPtr * states
                        for s in 0..<states {
                            let prev = cell[pb + s]
                            if prev == negative { continue }
                            let v = prev + match + max(b, max(stateBonus[s], consecutive))
                            if v > cell[base + s] { cell[base + s] = v }
                        }
                    }
                }
                let si = stateIndex(b)
                if startScore > cell[base + si] { cell[base + si] = startScore }
                var e = negative
                for s in 0..<states where cell[base + s] > e { e = cell[base + s] }
                cellEnd[x] = e
            }
        }
        var best = negative, bestX = -1
        for x in rowStart[m - 1]..<rowStart[m] where cellEnd[x] > best { best = cellEnd[x]; bestX = x }
        guard best > negative else { return nil }
        guard wantPositions else { return MatchResult(score: best, positions: []) }
        return MatchResult(score: best, positions: backtrace(bonus, m: m, endX: bestX))
    }

    private func backtrace(_ bonus: UnsafeBufferPointer<Int8>, m: Int, endX: Int) -> [Int] {
        let occ = self.occ, rowStart = self.rowStart, cell = self.cell, cellEnd = self.cellEnd
        var positions = [Int](repeating: 0, count: m)
        var x = endX
        var s = (0..<states).max { cell[x * states + $0] < cell[x * states + $1] }!
        var i = m - 1
        while true {
            let j = Int(occ[x])
            positions[i] = j
            if i == 0 { break }
            let value = cell[x * states + s]
            let b = Int32(bonus[j])
            let p0 = rowStart[i - 1], p1 = rowStart[i]
            // A continued run from column j - 1?
            if let d = (p0..<p1).first(where: { Int(occ[$0]) == j - 1 }) {
                let prev = cell[d * states + s]
                if prev != negative && prev + Scoring.scoreMatch + max(b, max(stateBonus[s], Scoring.bonusConsecutive)) == value {
                    x = d; i -= 1
                    continue
                }
            }
            // Otherwise a run started here, after a gap from some earlier occurrence.
            let want = value - Scoring.scoreMatch - b
            guard let k = (p0..<p1).reversed().first(where: { k in
                let col = Int(occ[k])
                return col <= j - 2 && cellEnd[k] != negative
                    && cellEnd[k] + Scoring.gapStart + Int32(j - col - 2) * Scoring.gapExtension == want
            }) else { break }
            x = k
            s = (0..<states).max { cell[k * states + $0] < cell[k * states + $1] }!
            i -= 1
        }
        return positions
    }

    /// The best score of a two-character pattern (the first keystrokes of a query, over nearly
    /// every name), or `negative` when it does not occur: the occurrences of the two characters
    /// are visited in order, and each place of the second takes the better of continuing a run
    /// from the place just before and of a gap from the best earlier place of the first. The
    /// same value as the dynamic programme, without its tables or bounds.
    private static func pair<C: FixedWidthInteger & UnsignedInteger>(
        _ text: UnsafeBufferPointer<C>, _ bonus: UnsafeBufferPointer<Int8>, _ p0: C, _ p1: C,
        slack: Int32 = .max) -> Int32 {
        let n = text.count
        var walk = PairWalk()
        if MemoryLayout<C>.size == 1 && n >= 8 && n <= 64 {
            // A name of 8 to 64 bytes (most): both characters' places as bits, from one read of
            // each word, then those places in order.
            let low = WordScan.lowBits(C.self), r0 = WordScan.repeated(p0), r1 = WordScan.repeated(p1)
            var first: UInt64 = 0, second: UInt64 = 0
            var k = 0
            while true {
                // The last word is the one ending at `n`: its places before `k` are dropped.
                let at = min(k, n &- 8), drop = UInt64(truncatingIfNeeded: k &- at)
                let w = WordScan.word(text, at: at), shift = UInt64(truncatingIfNeeded: k)
                first |= (WordScan.byteBits(WordScan.zeroLanes(w ^ r0, low: low)) &>> drop) &<< shift
                second |= (WordScan.byteBits(WordScan.zeroLanes(w ^ r1, low: low)) &>> drop) &<< shift
                k &+= 8
                if k >= n { break }
            }
            if slack < Int32.max && !Self.closeEnough(first, second, slack: slack) { return negative }
            var places = first | second
            while places != 0 {
                let bit = places & (0 &- places)
                places ^= bit
                let j = bit.trailingZeroBitCount
                let b = Int32(bonus[j])
                // At a place of both (the same character twice), the second ends a pair first.
                if second & bit != 0 { walk.second(j, b) }
                if first & bit != 0 { walk.first(j, b) }
            }
            return walk.best
        }
        var next0 = WordScan.first(p0, in: text, from: 0, to: n)
        guard next0 < n else { return negative }
        var next1 = WordScan.first(p1, in: text, from: next0 + 1, to: n)
        while next1 < n {
            if next0 < next1 {
                let j = next0
                walk.first(j, Int32(bonus[j]))
                next0 = WordScan.first(p0, in: text, from: j + 1, to: n)
            } else {
                // A second character (when both are the same, it ends a pair before it starts one).
                let j = next1
                let b = Int32(bonus[j])
                walk.second(j, b)
                if next0 == j {
                    walk.first(j, b)
                    next0 = WordScan.first(p0, in: text, from: j + 1, to: n)
                }
                next1 = WordScan.first(p1, in: text, from: j + 1, to: n)
            }
        }
        return walk.best
    }

    /// Whether a place in `second` follows one in `first` (places as bits, lowest first) closely
    /// enough for the gap between them to cost at most `slack`: right after it (a run, no gap)
    /// or `d` places on, a gap costing -gapStart - (d - 2) * gapExtension.
    @inline(__always)
    static func closeEnough(_ first: UInt64, _ second: UInt64, slack: Int32) -> Bool {
        if slack < 0 { return false }
        let open = slack &+ Scoring.gapStart
        let far = open < 0 ? 1 : 2 &+ Int(open / -Scoring.gapExtension)
        if far >= 63 { return true }
        // Each first's place moved on by 1 to `far`: shifts by 1..covered, then doubled.
        var reach = first &<< 1, covered = 1
        while covered < far {
            let step = min(covered, far &- covered)
            reach |= reach &<< UInt64(truncatingIfNeeded: step)
            covered &+= step
        }
        return reach & second != 0
    }

    /// Where `pattern[from...]` ends in `text[start..<end]` when each character is placed as
    /// early as it can be (the offset of its last character), or -1 when it is not a
    /// subsequence there. From the pattern's start: whether a fuzzy term matches at all, and
    /// where a longer term would go on from.
    @inline(__always)
    static func greedyEnd<C: FixedWidthInteger & UnsignedInteger>(_ text: UnsafeBufferPointer<C>,
                                                                  _ pattern: UnsafeBufferPointer<C>, from: Int,
                                                                  at start: Int, to end: Int) -> Int {
        var j = start, last = start &- 1
        var i = from
        while i < pattern.count {
            j = WordScan.first(pattern[i], in: text, from: j, to: end)
            if j == end { return -1 }
            last = j
            j &+= 1
            i &+= 1
        }
        return last
    }

    /// The length of the shortest stretch of `text[start..<end]` that holds `pattern` (at least
    /// two characters) as a subsequence, or -1 when none does. From each place of the first
    /// character in turn: the earliest end from there, then the latest start that still
    /// reaches that end; the next try starts after that start.
    static func shortestWindow<C: FixedWidthInteger & UnsignedInteger>(_ text: UnsafeBufferPointer<C>,
                                                                       _ pattern: UnsafeBufferPointer<C>,
                                                                       at start: Int, to end: Int) -> Int {
        let m = pattern.count
        var best = Int.max
        var s = WordScan.first(pattern[0], in: text, from: start, to: end)
        while s < end {
            var j = s
            var i = 1
            while i < m {
                j = WordScan.first(pattern[i], in: text, from: j &+ 1, to: end)
                if j == end { return best == Int.max ? -1 : best }
                i &+= 1
            }
            var k = j
            i = m &- 2
            while i >= 0 {
                k = WordScan.last(pattern[i], in: text, from: s, through: k &- 1)
                i &-= 1
            }
            best = min(best, j &- k &+ 1)
            if best == m { break }
            s = WordScan.first(pattern[0], in: text, from: k &+ 1, to: end)
        }
        return best == Int.max ? -1 : best
    }

    /// Greedy alignment for very long texts: the earliest end, then the latest start before it.
    private func greedy<C: FixedWidthInteger & UnsignedInteger>(
        _ text: UnsafeBufferPointer<C>, _ bonus: UnsafeBufferPointer<Int8>,
        _ pattern: UnsafeBufferPointer<C>, _ wantPositions: Bool) -> MatchResult? {
        let m = pattern.count
        var j = 0
        for i in 0..<m {
            while j < text.count && text[j] != pattern[i] { j += 1 }
            if j == text.count { return nil }
            j += 1
        }
        var positions = [Int](repeating: 0, count: m)
        var k = j - 1
        for i in stride(from: m - 1, through: 0, by: -1) {
            while text[k] != pattern[i] { k -= 1 }
            positions[i] = k
            k -= 1
        }
        let bonuses = Array(bonus[positions[0]...positions[m - 1]])
        let shifted = positions.map { $0 - positions[0] }
        return MatchResult(score: Scoring.score(bonuses: bonuses, positions: shifted), positions: wantPositions ? positions : [])
    }

    /// Best contiguous occurrence of `pattern` (exact, prefix, suffix or whole-text terms).
    public func substring<C: FixedWidthInteger & UnsignedInteger>(
        _ text: UnsafeBufferPointer<C>, _ bonus: UnsafeBufferPointer<Int8>,
        _ pattern: UnsafeBufferPointer<C>, anchor: Anchor, positions wantPositions: Bool) -> MatchResult? {
        let m = pattern.count, n = text.count
        guard m <= n else { return nil }
        guard m > 0 else { return MatchResult(score: 0, positions: []) }
        func matchesAt(_ s: Int) -> Bool {
            for k in 0..<m where text[s + k] != pattern[k] { return false }
            return true
        }
        func scoreAt(_ s: Int) -> Int32 {
            var total = Scoring.scoreMatch + Int32(bonus[s]) * Scoring.firstCharMultiplier
            let run = Int32(bonus[s])
            for k in 1..<max(1, m) {
                total += Scoring.scoreMatch + max(Int32(bonus[s + k]), max(run, Scoring.bonusConsecutive))
            }
            return total
        }
        var starts: [Int]
        switch anchor {
        case .none: starts = Array(0...(n - m))
        case .start: starts = [0]
        case .end: starts = [n - m]
        case .both: guard m == n else { return nil }; starts = [0]
        }
        var best: Int32 = negative, at = -1
        for s in starts where matchesAt(s) {
            let v = scoreAt(s)
            if v > best { best = v; at = s }
        }
        guard at >= 0 else { return nil }
        return MatchResult(score: best, positions: wantPositions ? Array(at..<(at + m)) : [])
    }

    public enum Anchor: Sendable { case none, start, end, both }
}
