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

public struct MatchResult: Sendable, Equatable {
    public var score: Int32
    /// Matched scalar offsets in the text, increasing; empty unless asked for.
    public var positions: [Int]
}

/// Reusable matcher state. Not thread-safe: one per searching thread.
public final class FuzzyMatcher {
    /// Texts longer than this many cells (pattern length × span) use the greedy alignment.
    public static let exactLimit = 60_000

    private var prevStates: [Int32] = []
    private var curStates: [Int32] = []
    private var prevEnd: [Int32] = []
    private var curEnd: [Int32] = []
    private var first: [Int] = []
    private var last: [Int] = []
    /// Full matrices for recovering positions.
    private var allStates: [Int32] = []
    private var allEnd: [Int32] = []

    public init() {}

    /// Scores `pattern` against `text` (both folded the same way); nil when the pattern is not
    /// a subsequence of the text.
    public func match(_ text: UnsafeBufferPointer<UInt32>, _ bonus: UnsafeBufferPointer<Int8>,
                      _ pattern: UnsafeBufferPointer<UInt32>, positions wantPositions: Bool) -> MatchResult? {
        let m = pattern.count, n = text.count
        guard m > 0 else { return MatchResult(score: 0, positions: []) }
        guard m <= n else { return nil }
        // Earliest place for each pattern character (greedy forward), latest (greedy backward).
        if first.count < m { first = [Int](repeating: 0, count: m); last = [Int](repeating: 0, count: m) }
        var j = 0
        for i in 0..<m {
            let c = pattern[i]
            while j < n && text[j] != c { j += 1 }
            if j == n { return nil }
            first[i] = j
            j += 1
        }
        j = n - 1
        for i in stride(from: m - 1, through: 0, by: -1) {
            let c = pattern[i]
            while j >= 0 && text[j] != c { j -= 1 }
            last[i] = j
            j -= 1
        }
        let lo = first[0], hi = last[m - 1]
        let span = hi - lo + 1
        if m == 1 {
            var best = negative, at = lo
            for k in lo...hi where text[k] == pattern[0] {
                let s = Scoring.scoreMatch + Int32(bonus[k]) * Scoring.firstCharMultiplier
                if s > best { best = s; at = k }
            }
            return MatchResult(score: best, positions: wantPositions ? [at] : [])
        }
        if span * m > Self.exactLimit { return greedy(text, bonus, pattern, wantPositions) }
        return exact(text, bonus, pattern, lo: lo, hi: hi, wantPositions)
    }

    private func exact(_ text: UnsafeBufferPointer<UInt32>, _ bonus: UnsafeBufferPointer<Int8>,
                       _ pattern: UnsafeBufferPointer<UInt32>, lo: Int, hi: Int, _ wantPositions: Bool) -> MatchResult? {
        let m = pattern.count
        let width = hi - lo + 1  // columns lo...hi map to 0..<width
        let need = width * states
        if prevStates.count < need { prevStates = [Int32](repeating: negative, count: need); curStates = prevStates }
        if prevEnd.count < width { prevEnd = [Int32](repeating: negative, count: width); curEnd = prevEnd }
        if wantPositions {
            if allStates.count < need * m { allStates = [Int32](repeating: negative, count: need * m) }
            if allEnd.count < width * m { allEnd = [Int32](repeating: negative, count: width * m) }
        }
        let consecutive = Scoring.bonusConsecutive, match = Scoring.scoreMatch
        let gapStart = Scoring.gapStart, gapExt = Scoring.gapExtension

        for i in 0..<m {
            let qc = pattern[i]
            let rowLo = first[i] - lo, rowHi = last[i] - lo
            // Clear the row (and the column before it, read by the next row's diagonal).
            let clearLo = max(0, rowLo - 1)
            for k in (clearLo * states)..<((rowHi + 1) * states) { curStates[k] = negative }
            for k in clearLo...rowHi { curEnd[k] = negative }
            // gap = best End[i-1][k] + the penalty of the gap from k to col, over k <= col - 2.
            var gap = negative
            let prevLo = i == 0 ? rowLo : first[i - 1] - lo
            for col in min(prevLo, rowLo)...rowHi {
                if i > 0 && col - 2 >= prevLo {
                    let e = prevEnd[col - 2]
                    let opened = e == negative ? negative : e + gapStart
                    let extended = gap == negative ? negative : gap + gapExt
                    gap = max(opened, extended)
                }
                if col < rowLo { continue }
            let jj = col + lo
                guard text[jj] == qc else { continue }
                let b = Int32(bonus[jj])
                let base = col * states
                // A run starts here.
                let start: Int32
                if i == 0 { start = match + b * Scoring.firstCharMultiplier }
                else { start = gap == negative ? negative : gap + match + b }
                let si = stateIndex(b)
                if start > curStates[base + si] { curStates[base + si] = start }
                // Or the run of the previous character continues.
                if i > 0 && col > 0 {
                    let pb = (col - 1) * states
                    for s in 0..<states {
                        let p = prevStates[pb + s]
                        if p == negative { continue }
                        let v = p + match + max(b, max(stateBonus[s], consecutive))
                        if v > curStates[base + s] { curStates[base + s] = v }
                    }
                }
                var e = negative
                for s in 0..<states where curStates[base + s] > e { e = curStates[base + s] }
                curEnd[col] = e
            }
            if wantPositions {
                for k in clearLo...rowHi { allEnd[i * width + k] = curEnd[k] }
                for k in (clearLo * states)..<((rowHi + 1) * states) { allStates[i * need + k] = curStates[k] }
            }
            swap(&prevStates, &curStates)
            swap(&prevEnd, &curEnd)
        }
        var best = negative, bestCol = -1
        let lastLo = first[m - 1] - lo, lastHi = last[m - 1] - lo
        for col in lastLo...lastHi where prevEnd[col] > best { best = prevEnd[col]; bestCol = col }
        // Reset scratch so the next call starts clean.
        for k in 0..<need { prevStates[k] = negative; curStates[k] = negative }
        for k in 0..<width { prevEnd[k] = negative; curEnd[k] = negative }
        guard best > negative else { return nil }
        guard wantPositions else { return MatchResult(score: best, positions: []) }
        let pos = backtrace(text, bonus, pattern, lo: lo, width: width, endCol: bestCol)
        for k in 0..<(need * m) { allStates[k] = negative }
        for k in 0..<(width * m) { allEnd[k] = negative }
        return MatchResult(score: best, positions: pos)
    }

    private func backtrace(_ text: UnsafeBufferPointer<UInt32>, _ bonus: UnsafeBufferPointer<Int8>,
                           _ pattern: UnsafeBufferPointer<UInt32>, lo: Int, width: Int, endCol: Int) -> [Int] {
        let m = pattern.count
        let need = width * states
        func state(_ i: Int, _ col: Int, _ s: Int) -> Int32 { allStates[i * need + col * states + s] }
        func end(_ i: Int, _ col: Int) -> Int32 { allEnd[i * width + col] }
        var positions = [Int](repeating: 0, count: m)
        var col = endCol
        var s = (0..<states).max { state(m - 1, col, $0) < state(m - 1, col, $1) }!
        var i = m - 1
        while i >= 0 {
            positions[i] = col + lo
            if i == 0 { break }
            let value = state(i, col, s)
            let b = Int32(bonus[col + lo])
            // Continued run?
            if col > 0 {
                let p = state(i - 1, col - 1, s)
                if p != negative && p + Scoring.scoreMatch + max(b, max(stateBonus[s], Scoring.bonusConsecutive)) == value {
                    i -= 1; col -= 1
                    continue
                }
            }
            // A run started here after a gap: find the column it came from.
            let want = value - Scoring.scoreMatch - b
            var found = -1
            var k = col - 2
            while k >= 0 {
                let e = end(i - 1, k)
                if e != negative && e + Scoring.gapStart + Int32(col - k - 2) * Scoring.gapExtension == want { found = k; break }
                k -= 1
            }
            if found < 0 { break }  // cannot happen; keep what we have
            col = found
            s = (0..<states).max { state(i - 1, col, $0) < state(i - 1, col, $1) }!
            i -= 1
        }
        return positions
    }

    /// Greedy alignment for very long texts: the earliest end, then the latest start before it.
    private func greedy(_ text: UnsafeBufferPointer<UInt32>, _ bonus: UnsafeBufferPointer<Int8>,
                        _ pattern: UnsafeBufferPointer<UInt32>, _ wantPositions: Bool) -> MatchResult? {
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
    public func substring(_ text: UnsafeBufferPointer<UInt32>, _ bonus: UnsafeBufferPointer<Int8>,
                          _ pattern: UnsafeBufferPointer<UInt32>, anchor: Anchor, positions wantPositions: Bool) -> MatchResult? {
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
