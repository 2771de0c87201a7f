// Full-text search over note bodies: a case-insensitive substring (a phrase may hold spaces),
// for every script alike (no tokenizer, so CJK finds CJK). Notes are searched in parallel,
// straight on their UTF-8 bytes.

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
        var first: [GrepHit] = [], rest: [GrepHit] = []
        for hits in perNote {
            guard let h = hits.first else { continue }
            if h.inTitle { first += hits } else { rest += hits }
        }
        let all = first + rest
        return Array(all.prefix(limit))
    }
}

/// A folded query and the fastest way to look for it.
struct FullTextNeedle: Sendable {
    let scalars: [UInt32]
    /// Lower-case UTF-8 bytes, when the query is ASCII (the fast path).
    let ascii: [UInt8]?
    /// Exact UTF-8 bytes, when no scalar of the query has case (CJK, digits, symbols).
    let caseless: [UInt8]?
    let lowered: String
    /// For the general path: the longest run of the query's scalars that can only be matched
    /// by ASCII bytes (lower-cased), and how many scalars of the query come before it. The
    /// bytes are found first; the whole query is compared only where they occur.
    let anchor: (bytes: [UInt8], offset: Int)?

    /// ASCII letters that a non-ASCII scalar folds to (KELVIN SIGN folds to `k`): an anchor
    /// of bytes would miss those spellings, so they never take part in one.
    static let foldedIntoFromOutsideASCII: Set<UInt32> = [UInt32(UInt8(ascii: "k"))]

    /// `anchored: false` compares the whole query at every place (the reference the tests
    /// hold the anchored search to).
    init(_ query: String, anchored: Bool = true) {
        lowered = query.lowercased()
        scalars = query.unicodeScalars.map { MentionSearch.foldScalar($0) }
        let bytes = Array(query.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            ascii = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            caseless = nil
        } else {
            ascii = nil
            let hasCase = query.unicodeScalars.contains {
                $0.properties.changesWhenLowercased || $0.properties.changesWhenUppercased
            }
            caseless = hasCase ? nil : bytes
        }
        var best: (start: Int, count: Int)? = nil
        var runStart = 0
        for i in 0...scalars.count {
            if i < scalars.count, scalars[i] < 0x80, !Self.foldedIntoFromOutsideASCII.contains(scalars[i]) { continue }
            if i - runStart > (best?.count ?? 0) { best = (runStart, i - runStart) }
            runStart = i + 1
        }
        if anchored, let best, best.count >= 2, ascii == nil, caseless == nil {
            anchor = (scalars[best.start..<(best.start + best.count)].map { UInt8($0) }, best.start)
        } else {
            anchor = nil
        }
    }

    var isEmpty: Bool { scalars.isEmpty }

    /// True when the note's body contains the query (case-insensitively).
    func occurs(in note: Note) -> Bool {
        var text = note.text
        return text.withUTF8 { buf in
            let start = bodyOffset(buf, note.bodyStartLine)
            var found: [(Int, Int)] = []
            if let ascii { findASCII(buf, from: start, ascii, &found) }
            else if let caseless { findExact(buf, from: start, caseless, &found) }
            else { findFolded(buf, from: start, &found) }
            return !found.isEmpty
        }
    }

    func search(_ note: Note, index: Int) -> [GrepHit] {
        let inTitle = note.title.lowercased().contains(lowered)
        var text = note.text
        let hits: [GrepHit] = text.withUTF8 { buf in
            let start = bodyOffset(buf, note.bodyStartLine)
            var found: [(Int, Int)] = []  // byte offset, byte length of each occurrence
            if let ascii { findASCII(buf, from: start, ascii, &found) }
            else if let caseless { findExact(buf, from: start, caseless, &found) }
            else { findFolded(buf, from: start, &found) }
            return lines(buf, found, note: index, inTitle: inTitle)
        }
        return hits
    }

    private func bodyOffset(_ b: UnsafeBufferPointer<UInt8>, _ bodyLine: Int) -> Int {
        var line = 1, i = 0
        while line < bodyLine && i < b.count {
            if b[i] == 0x0A { line += 1 }
            i += 1
        }
        return i
    }

    /// Every case-insensitive occurrence of lower-case ASCII `n`; `overlapping` also reports
    /// occurrences that start inside an earlier one (for anchors).
    private func findASCII(_ b: UnsafeBufferPointer<UInt8>, from: Int, _ n: [UInt8], _ out: inout [(Int, Int)],
                           overlapping: Bool = false) {
        let m = n.count
        guard b.count - from >= m else { return }
        let f0 = n[0]
        let f1 = f0 >= 0x61 && f0 <= 0x7A ? f0 - 0x20 : f0
        var i = from
        let last = b.count - m
        n.withUnsafeBufferPointer { np in
            while i <= last {
                let c = b[i]
                if c == f0 || c == f1 {
                    var k = 1
                    while k < m {
                        var x = b[i + k]
                        if x >= 0x41 && x <= 0x5A { x += 0x20 }
                        if x != np[k] { break }
                        k += 1
                    }
                    if k == m { out.append((i, m)); i += overlapping ? 1 : m; continue }
                }
                i += 1
            }
        }
    }

    private func findExact(_ b: UnsafeBufferPointer<UInt8>, from: Int, _ n: [UInt8], _ out: inout [(Int, Int)]) {
        let m = n.count
        guard b.count - from >= m else { return }
        var i = from
        let last = b.count - m
        while i <= last {
            if b[i] == n[0] {
                var k = 1
                while k < m && b[i + k] == n[k] { k += 1 }
                if k == m { out.append((i, m)); i += m; continue }
            }
            i += 1
        }
    }

    /// The general path: decode scalars and compare them folded. With an anchor, only where
    /// its bytes occur (most text holds none of them).
    private func findFolded(_ b: UnsafeBufferPointer<UInt8>, from: Int, _ out: inout [(Int, Int)]) {
        if let anchor {
            var hits: [(Int, Int)] = []
            findASCII(b, from: from, anchor.bytes, &hits, overlapping: true)
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
            if k == m { out.append((i, j - i)); i = j; continue }
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
        guard !found.isEmpty else { return [] }
        var hits: [GrepHit] = []
        var line = 1, scanned = 0, lineStart = 0
        var k = 0
        while k < found.count {
            let (offset, _) = found[k]
            while scanned < offset {
                if b[scanned] == 0x0A { line += 1; lineStart = scanned + 1 }
                scanned += 1
            }
            var lineEnd = offset
            while lineEnd < b.count && b[lineEnd] != 0x0A { lineEnd += 1 }
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
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[lineStart..<end]), as: UTF8.self)
            hits.append(GrepHit(note: note, line: line, columns: columns, text: text, inTitle: inTitle))
        }
        return hits
    }

    private func scalars(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var n = 0
        for i in from..<to where b[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }
}
