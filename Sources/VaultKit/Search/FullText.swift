// Full-text search over note bodies: a case-insensitive substring (a phrase may hold spaces),
// for every script alike (no tokenizer, so CJK finds CJK). Notes are searched in parallel,
// straight on their UTF-8 bytes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of one note where the text occurs.
public struct GrepHit: Sendable, Equatable {
    public let note: Int
    /// One-based line in the file.
    public let line: Int
    /// Where the text occurs on the line: one-based start column and length, in scalars.
    public let columns: [ColumnRange]
    /// The line itself (without its line break).
    public let text: String
    /// True when the note's title also contains the text; such notes come first.
    public let inTitle: Bool
}

public struct ColumnRange: Sendable, Equatable, Codable {
    public let column: Int
    public let length: Int
}

extension Vault {
    /// Every line of every note body that contains `query`, case-insensitively. Notes whose
    /// title contains it come first; then notes in path order, lines in order. A query with
    /// a line break finds nothing: hits are lines.
    public func grep(_ query: String, limit: Int = .max) -> [GrepHit] {
        let needle = FullTextNeedle(query)
        guard !needle.isEmpty, !query.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return [] }
        let perNote = parallelMap(Array(notes.indices), progress: nil) { i -> [GrepHit] in
            needle.search(self.notes[i], index: i)
        }
        // Notes with the text in their title first, then the rest: hits are copied once,
        // into a list made at its final size (a common word has tens of thousands).
        let total = perNote.reduce(0) { $0 + $1.count }
        var all: [GrepHit] = []
        all.reserveCapacity(min(total, limit))
        for titled in [true, false] {
            for hits in perNote where hits.first?.inTitle == titled {
                guard all.count < limit else { return all }
                all.append(contentsOf: hits.prefix(limit - all.count))
            }
        }
        return all
    }
}

/// A folded query and the fastest way to look for it.
struct FullTextNeedle: Sendable {
    let scalars: [UInt32]
    /// Lower-case UTF-8 bytes, when the query is ASCII (the fast path).
    let ascii: BytePattern?
    /// Exact UTF-8 bytes, when no scalar of the query has case (CJK, digits, symbols).
    let caseless: BytePattern?
    /// For the general path: the longest run of the query's scalars that can only be matched
    /// by ASCII bytes (lower-cased), and how many scalars of the query come before it. The
    /// bytes are found first; the whole query is compared only where they occur.
    let anchor: (bytes: BytePattern, offset: Int)?

    /// ASCII letters that a non-ASCII scalar folds to (KELVIN SIGN folds to `k`): an anchor
    /// of bytes would miss those spellings, so they never take part in one.
    static let foldedIntoFromOutsideASCII: Set<UInt32> = [UInt32(UInt8(ascii: "k"))]

    /// `anchored: false` compares the whole query at every place (the reference the tests
    /// hold the anchored search to).
    init(_ query: String, anchored: Bool = true) {
        scalars = query.unicodeScalars.map { MentionSearch.foldScalar($0) }
        let bytes = Array(query.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            ascii = BytePattern(bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, foldingASCII: true)
            caseless = nil
        } else {
            ascii = nil
            let hasCase = query.unicodeScalars.contains {
                $0.properties.changesWhenLowercased || $0.properties.changesWhenUppercased
            }
            caseless = hasCase ? nil : BytePattern(bytes, foldingASCII: false)
        }
        var best: (start: Int, count: Int)? = nil
        var runStart = 0
        for i in 0...scalars.count {
            if i < scalars.count, scalars[i] < 0x80, !Self.foldedIntoFromOutsideASCII.contains(scalars[i]) { continue }
            if i - runStart > (best?.count ?? 0) { best = (runStart, i - runStart) }
            runStart = i + 1
        }
        if anchored, let best, best.count >= 2, ascii == nil, caseless == nil {
            anchor = (BytePattern(scalars[best.start..<(best.start + best.count)].map { UInt8($0) }, foldingASCII: true),
                      best.start)
        } else {
            anchor = nil
        }
    }

    var isEmpty: Bool { scalars.isEmpty }

    /// True when the note's body contains the query (case-insensitively).
    func occurs(in note: Note) -> Bool {
        var text = note.text
        return text.withUTF8 { buf in !occurrences(buf, from: bodyOffset(buf, note.bodyStartLine), limit: 1).isEmpty }
    }

    func search(_ note: Note, index: Int) -> [GrepHit] {
        var text = note.text
        return text.withUTF8 { buf in
            let found = occurrences(buf, from: bodyOffset(buf, note.bodyStartLine))
            guard !found.isEmpty else { return [] }
            // The title is searched by the same rules, for notes with hits only.
            var title = note.title
            let inTitle = title.withUTF8 { !occurrences($0, from: 0, limit: 1).isEmpty }
            return lines(buf, found, note: index, inTitle: inTitle)
        }
    }

    /// Where the query occurs in `b` from byte `from` on: each occurrence's byte offset and
    /// byte length, in order, none overlapping; the first `limit` of them.
    private func occurrences(_ b: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int = .max) -> [(Int, Int)] {
        var found: [(Int, Int)] = []
        if let pattern = ascii ?? caseless { pattern.find(in: b, from: start, &found, limit: limit) }
        else { findFolded(b, from: start, &found, limit: limit) }
        return found
    }

    private func bodyOffset(_ b: UnsafeBufferPointer<UInt8>, _ bodyLine: Int) -> Int {
        var line = 1, i = 0
        while line < bodyLine && i < b.count {
            if b[i] == 0x0A { line += 1 }
            i += 1
        }
        return i
    }

    /// The general path: decode scalars and compare them folded. With an anchor, only where
    /// its bytes occur (most text holds none of them).
    private func findFolded(_ b: UnsafeBufferPointer<UInt8>, from: Int, _ out: inout [(Int, Int)], limit: Int = .max) {
        if let anchor {
            var hits: [(Int, Int)] = []
            anchor.bytes.find(in: b, from: from, &hits, overlapping: true)
            var next = from  // no match may start before the end of the previous one
            for (at, _) in hits {
                // Back up to where the query would start: `offset` scalars before the anchor.
                var start = at
                var back = anchor.offset
                while back > 0, start > from {
                    start -= 1
                    while start > from, b[start] & 0xC0 == 0x80 { start -= 1 }
                    back -= 1
                }
                guard back == 0, start >= next, let end = matchFolded(b, at: start) else { continue }
                out.append((start, end - start))
                if out.count >= limit { return }
                next = end
            }
            return
        }
        let m = scalars.count
        var i = from
        while i < b.count {
            var j = i, k = 0
            while k < m && j < b.count {
                let (v, len) = decodeScalar(b, j)
                let folded = Unicode.Scalar(v).map(MentionSearch.foldScalar) ?? v
                if folded != scalars[k] { break }
                j += len
                k += 1
            }
            if k == m {
                out.append((i, j - i))
                if out.count >= limit { return }
                i = j
                continue
            }
            i += decodeScalar(b, i).1
        }
    }

    /// The byte after a folded match of the whole query starting at `i`, if there is one.
    private func matchFolded(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var j = i, k = 0
        while k < scalars.count && j < b.count {
            let (v, len) = decodeScalar(b, j)
            let folded = Unicode.Scalar(v).map(MentionSearch.foldScalar) ?? v
            if folded != scalars[k] { return nil }
            j += len
            k += 1
        }
        return k == scalars.count ? j : nil
    }

    private func decodeScalar(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = b[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
        guard len > 1, i + len <= b.count else { return (0xFFFD, 1) }
        var v = UInt32(b0) & (0xFF >> (len + 1))
        for k in 1..<len { v = v << 6 | UInt32(b[i + k] & 0x3F) }
        return (v, len)
    }

    /// Groups occurrences by line and measures them in scalars.
    private func lines(_ b: UnsafeBufferPointer<UInt8>, _ found: [(Int, Int)], note: Int, inTitle: Bool) -> [GrepHit] {
        guard !found.isEmpty, let base = b.baseAddress else { return [] }
        var hits: [GrepHit] = []
        var line = 1, scanned = 0
        var k = 0
        while k < found.count {
            let (offset, _) = found[k]
            // Line breaks up to the occurrence are counted (sixteen bytes at a time);
            // its line's end is found with memchr.
            line += countBytes(b, scanned..<offset, equalTo: 0x0A)
            scanned = offset
            var lineStart = offset
            while lineStart > 0, b[lineStart - 1] != 0x0A { lineStart -= 1 }
            var lineEnd = memchr(base + offset, 0x0A, b.count - offset)
                .map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? b.count
            // Every pass takes at least the occurrence it started from.
            lineEnd = max(lineEnd, offset + 1)
            var columns: [ColumnRange] = []
            while k < found.count && found[k].0 < lineEnd {
                let (o, len) = found[k]
                columns.append(ColumnRange(column: scalars(b, lineStart, o) + 1, length: scalars(b, o, o + len)))
                k += 1
            }
            var end = lineEnd
            if end > lineStart && b[end - 1] == 0x0D { end -= 1 }
            let bytes = UnsafeBufferPointer(rebasing: b[lineStart..<end])
            // A string's UTF-8 cut at line breaks: whole scalars, valid without a check.
            let text = stringOfValidUTF8(bytes)
            hits.append(GrepHit(note: note, line: line, columns: columns, text: text, inTitle: inTitle))
        }
        return hits
    }

    private func scalars(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        countBytes(b, from..<to, scalarStarts: true)
    }
}

/// Bytes to find in text, ASCII letters in either case when `foldingASCII` (the bytes are
/// then lower-case). The text is skimmed with `memchr` for the pattern's rarest byte
/// (`rarity`, chosen once), in both cases of a letter; the pattern is compared only there.
struct BytePattern: Sendable {
    let bytes: [UInt8]
    let foldingASCII: Bool
    /// Where the rarest byte sits in `bytes`.
    let rare: Int

    init(_ bytes: [UInt8], foldingASCII: Bool) {
        self.bytes = bytes
        self.foldingASCII = foldingASCII
        var k = 0
        for j in bytes.indices where Self.rarity(bytes[j]) >= Self.rarity(bytes[k]) { k = j }
        rare = k
    }

    /// Every occurrence in `b` from `from` on (byte offset and length), the first `limit`;
    /// `overlapping` also reports occurrences that start inside an earlier one (for anchors).
    func find(in b: UnsafeBufferPointer<UInt8>, from: Int, _ out: inout [(Int, Int)], overlapping: Bool = false,
              limit: Int = .max) {
        let m = bytes.count, k = rare
        guard m > 0, b.count - from >= m, let base = b.baseAddress else { return }
        let lower = bytes[k]
        let upper = foldingASCII && lower >= 0x61 && lower <= 0x7A ? lower - 0x20 : lower
        // The rare byte of a match starting at i is at i + k, for i in from...last.
        let last = b.count - m
        var next = from  // no match may start before this
        // The next place of each case of the rare byte at or after `at` (b.count: none left).
        func seek(_ c: UInt8, _ at: Int) -> Int {
            guard at < b.count, let hit = memchr(base + at, Int32(c), b.count - at) else { return b.count }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        var pl = seek(lower, from + k), pu = upper == lower ? b.count : seek(upper, from + k)
        bytes.withUnsafeBufferPointer { np in
            while true {
                let p = min(pl, pu)
                let i = p - k
                guard i <= last else { return }
                if p == pl { pl = seek(lower, p + 1) }
                if p == pu { pu = seek(upper, p + 1) }
                guard i >= next else { continue }
                var j = 0
                while j < m {
                    var x = b[i + j]
                    if foldingASCII && x >= 0x41 && x <= 0x5A { x += 0x20 }
                    if x != np[j] { break }
                    j += 1
                }
                if j == m {
                    out.append((i, m))
                    if out.count >= limit { return }
                    if !overlapping { next = i + m }
                }
            }
        }
    }

    /// How rarely a byte is met in notes, roughly (higher is rarer): letters by their
    /// frequency in English text, the space and line breaks the commonest, other ASCII bytes
    /// between the middle letters and the rare ones; of UTF-8's other bytes, a scalar's first
    /// (shared by whole blocks of a script) is commoner than the ones after it. Ties go to
    /// the later byte: the last byte of a CJK character tells most about it.
    static func rarity(_ c: UInt8) -> Int {
        if c >= 0x80 { return c < 0xC0 ? 19 : 17 }
        let byFrequency: StaticString = "etaoinshrdlcumwfgypbvkjxqz"
        var x = c
        if x >= 0x41 && x <= 0x5A { x += 0x20 }
        if x >= 0x61 && x <= 0x7A {
            let p = byFrequency.utf8Start
            for r in 0..<byFrequency.utf8CodeUnitCount where p[r] == x { return r + 2 }
        }
        if x == 0x20 || x == 0x0A || x == 0x0D || x == 0x09 { return 0 }
        return 18  // digits and punctuation: about as rare as `g`
    }
}
