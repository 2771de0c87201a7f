/// A plain-text mention of a note's title or alias in another note: a link not yet made.
public struct Mention: Sendable, Equatable {
    /// The note that mentions.
    public let note: Int
    public let line: Int
    /// One-based column in Unicode scalars, and the length of the mention in scalars.
    public let column: Int
    public let length: Int
    /// The title or alias that matched, as the mentioned note writes it.
    public let term: String
    /// The text of the mentioned line.
    public let context: String
}

extension Vault {
    /// Unlinked mentions of note `target`: other notes naming its title or an alias as plain
    /// text. Case-insensitive; whole words for scripts written with spaces, exact substrings
    /// for scripts without (CJK, Thai ...). Never inside code, comments, math, HTML, the
    /// frontmatter, or an existing link.
    public func unlinkedMentions(of target: Int) -> [Mention] {
        let note = notes[target]
        var seen = Set<String>()
        let terms = ([note.title] + note.aliases).filter { !$0.trimmingSpaces.isEmpty && seen.insert($0.folded).inserted }
        let folded = terms.map { ($0, MentionSearch.fold($0.trimmingSpaces)) }
        // The full-text search's byte-level matcher rules out most notes before the exact
        // (word-boundary, mask-aware) search runs; notes are searched in parallel.
        let needles = terms.map { FullTextNeedle($0.trimmingSpaces) }
        let perNote = parallelMap(Array(notes.indices), progress: nil) { j -> [Mention] in
            guard j != target, needles.contains(where: { $0.occurs(in: self.notes[j]) }) else { return [] }
            return MentionSearch.find(folded, in: self.notes[j], index: j)
        }
        return perNote.flatMap { $0 }
    }
}

enum MentionSearch {
    /// Simple per-scalar lower-casing (keeps scalar counts, so offsets map back).
    static func fold(_ s: String) -> [UInt32] {
        s.unicodeScalars.map(foldScalar)
    }

    @inline(__always) static func foldScalar(_ u: Unicode.Scalar) -> UInt32 {
        if u.value < 0x80 {
            return u.value >= 0x41 && u.value <= 0x5A ? u.value + 0x20 : u.value
        }
        // Latin-1 without the Unicode properties (whose mapping is a string): the capitals
        // À to Þ (not ×) lower by 0x20, every other scalar there is its own lower case.
        if u.value < 0x100 {
            return u.value >= 0xC0 && u.value <= 0xDE && u.value != 0xD7 ? u.value + 0x20 : u.value
        }
        let m = u.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? m.first!.value : u.value
    }

    /// Scripts written without spaces between words: a mention there is an exact substring.
    static func isUnspaced(_ v: UInt32) -> Bool {
        switch v {
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF, 0x3040...0x30FF, 0x31F0...0x31FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }

    static func isWordScalar(_ v: UInt32) -> Bool {
        guard let u = Unicode.Scalar(v) else { return false }
        if v < 0x80 { return isASCIIAlnum(UInt8(v)) || v == 0x5F }
        return u.properties.isAlphabetic || u.properties.numericType != nil
    }

    static func find(_ terms: [(String, [UInt32])], in note: Note, index: Int) -> [Mention] {
        let bytes = Array(note.text.utf8)
        let mask = NoteParser.mentionMask(bytes)
        // Folded scalars with their byte offsets.
        var scalars: [UInt32] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let (v, len) = scalar(at: i, in: bytes, end: bytes.count)
            scalars.append(Unicode.Scalar(v).map(foldScalar) ?? v)
            offsets.append(i)
            i += len
        }
        let blocked = BodyMask.hidden | BodyMask.linkSpan
        var hits: [(start: Int, length: Int, term: String)] = []
        for (term, needle) in terms where !needle.isEmpty {
            let n = needle.count
            guard scalars.count >= n else { continue }
            let checkStart = !isUnspaced(needle[0])
            let checkEnd = !isUnspaced(needle[n - 1])
            var s = 0
            while s <= scalars.count - n {
                if scalars[s] == needle[0] {
                    var k = 1
                    while k < n, scalars[s + k] == needle[k] { k += 1 }
                    if k == n,
                       !(checkStart && s > 0 && isWordScalar(scalars[s - 1])),
                       !(checkEnd && s + n < scalars.count && isWordScalar(scalars[s + n])),
                       !mask.any(blocked, in: offsets[s]..<(s + n < offsets.count ? offsets[s + n] : bytes.count)) {
                        hits.append((s, n, term))
                        s += n
                        continue
                    }
                }
                s += 1
            }
        }
        // Longest first at each place; drop overlaps.
        hits.sort { $0.start != $1.start ? $0.start < $1.start : $0.length > $1.length }
        var out: [Mention] = []
        var coveredUntil = -1
        let lines = LineIndex(bytes)
        for h in hits where h.start >= coveredUntil {
            coveredUntil = h.start + h.length
            let pos = lines.position(of: offsets[h.start], in: bytes)
            // The line straight from the index: no walk from the top of the note per mention.
            let context = decode(bytes, lines.range(ofLine: pos.line - 1, in: bytes))
            out.append(Mention(note: index, line: pos.line, column: pos.column, length: h.length,
                               term: h.term, context: context))
        }
        return out
    }
}

extension NoteParser {
    /// The mask used for mentions: hidden regions and every link's span.
    static func mentionMask(_ bytes: [UInt8]) -> BodyMask {
        let start = bomLength(bytes)
        let lines = LineIndex(bytes)
        let bodyStart = Frontmatter.locate(bytes, start: start)?.bodyStart ?? start
        var mask = MaskBuilder.build(bytes, bodyStart: bodyStart, lines: lines)
        var scratch = ParsedNote()
        var found = ParseFound()
        scanLinks(bytes, lines, &mask, &scratch, &found)
        found.free()
        return mask
    }
}
