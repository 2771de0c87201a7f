// Byte- and scalar-level helpers shared by the parsers.
//
// The parsers work on the UTF-8 bytes of a file: every piece of syntax the format uses is
// ASCII, so the hot loops never build `Character`s. Strings are made only for what is kept.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes with its line starts, for turning byte offsets into line and column.
struct LineIndex: Sendable {
    /// Byte offset where each line starts; `starts[0] == 0`.
    let starts: [Int]
    let count: Int

    /// The line starts of `bytes`, kept in `storage`'s memory when it has room (what it
    /// held is dropped).
    init(_ bytes: [UInt8], reusing storage: consuming [Int] = []) {
        var starts = storage
        starts.removeAll(keepingCapacity: true)
        starts.reserveCapacity(bytes.count / 40 + 1)
        starts.append(0)
        var i = nextByte(bytes, 0x0A, from: 0)
        while i < bytes.count {
            starts.append(i + 1)
            i = nextByte(bytes, 0x0A, from: i + 1)
        }
        self.starts = starts
        self.count = bytes.count
    }

    /// Zero-based line containing `offset`.
    func line(of offset: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Byte range of zero-based line `n`, without its line break (LF or CRLF).
    func range(ofLine n: Int, in bytes: [UInt8]) -> Range<Int> {
        let start = starts[n]
        var end = n + 1 < starts.count ? starts[n + 1] - 1 : count
        if end > start, end - 1 < bytes.count, bytes[end - 1] == 0x0D { end -= 1 }
        return start..<max(start, end)
    }

    /// `line(of:)` for offsets met in increasing order, as a scan meets them: walks on from
    /// `cursor` (the line of an earlier offset) and leaves it at the answer. An offset before
    /// the cursor's line is searched for.
    func line(of offset: Int, cursor: inout Int) -> Int {
        var l = cursor
        if starts[l] > offset { l = line(of: offset) }
        while l + 1 < starts.count, starts[l + 1] <= offset { l += 1 }
        cursor = l
        return l
    }

    /// One-based line and one-based column (counted in Unicode scalars) of a byte offset.
    func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var cursor = line(of: offset)
        return position(of: offset, in: bytes, cursor: &cursor)
    }

    /// `position(of:in:)` for offsets met in increasing order (see `line(of:cursor:)`).
    func position(of offset: Int, in bytes: [UInt8], cursor: inout Int) -> (line: Int, column: Int) {
        let l = line(of: offset, cursor: &cursor)
        return (l + 1, scalarCount(bytes, starts[l]..<offset) + 1)
    }
}

/// The offset of the next `byte` at or after `from` (before `end`, default the end), or
/// `end` when there is none: `memchr`, so long stretches without it cost next to nothing.
@inline(__always)
func nextByte(_ bytes: [UInt8], _ byte: UInt8, from: Int, end: Int? = nil) -> Int {
    let end = end ?? bytes.count
    guard from < end else { return end }
    return bytes.withUnsafeBufferPointer { b in
        guard let hit = memchr(b.baseAddress! + from, Int32(byte), end - from) else { return end }
        return b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
}

/// The first index in `from..<end` holding one of five bytes, or `end` (`from` when
/// `from >= end`): sixteen bytes at a time with vector compares, the hit's place read from
/// the compare's lanes; the last bytes of the buffer (fewer than sixteen) one by one.
/// A sixteen-byte load may reach past `end` (never past the buffer): lanes past `end` are
/// not looked at.
func firstOf(_ bytes: [UInt8], from: Int, end: Int, _ c1: UInt8, _ c2: UInt8, _ c3: UInt8, _ c4: UInt8,
             _ c5: UInt8) -> Int {
    guard from < end else { return from }
    return bytes.withUnsafeBufferPointer { firstOf($0, from: from, end: end, c1, c2, c3, c4, c5) }
}

func firstOf(_ p: UnsafeBufferPointer<UInt8>, from: Int, end: Int, _ c1: UInt8, _ c2: UInt8, _ c3: UInt8,
             _ c4: UInt8, _ c5: UInt8) -> Int {
    guard from < end else { return from }
    precondition(end <= p.count)
    let raw = UnsafeRawPointer(p.baseAddress!)
    let v1 = SIMD16<UInt8>(repeating: c1), v2 = SIMD16<UInt8>(repeating: c2), v3 = SIMD16<UInt8>(repeating: c3)
    let v4 = SIMD16<UInt8>(repeating: c4), v5 = SIMD16<UInt8>(repeating: c5)
    var j = from
    while j < end, j + 16 <= p.count {
        let v = raw.loadUnaligned(fromByteOffset: j, as: SIMD16<UInt8>.self)
        let hit = (v .== v1) .| (v .== v2) .| (v .== v3) .| (v .== v4) .| (v .== v5)
        if any(hit) {
            // The first set byte of the two halves is the hit.
            let (lo, hi) = laneWords(hit)
            let k = lo != 0 ? lo.trailingZeroBitCount / 8 : 8 + hi.trailingZeroBitCount / 8
            return min(j + k, end)
        }
        j += 16
    }
    while j < end {
        let c = p[j]
        if c == c1 || c == c2 || c == c3 || c == c4 || c == c5 { return j }
        j += 1
    }
    return end
}

/// How many bytes of `p[range]` are `byte` (`scalarStarts: true`: how many start a scalar,
/// that is, are not UTF-8 continuation bytes), sixteen at a time.
func countBytes(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, equalTo byte: UInt8 = 0,
                scalarStarts: Bool = false) -> Int {
    precondition(range.lowerBound >= 0 && range.upperBound <= p.count)
    guard !range.isEmpty, let base = p.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    let target = SIMD16<UInt8>(repeating: scalarStarts ? 0x80 : byte), high = SIMD16<UInt8>(repeating: 0xC0)
    let one = SIMD16<UInt8>(repeating: 1), zero = SIMD16<UInt8>(repeating: 0)
    var count = 0, j = range.lowerBound
    while j + 16 <= range.upperBound {
        // Lanes add up to at most 255 per round.
        var lanes = zero
        var rounds = 0
        while rounds < 255, j + 16 <= range.upperBound {
            let v = raw.loadUnaligned(fromByteOffset: j, as: SIMD16<UInt8>.self)
            let hit = scalarStarts ? (v & high) .!= target : v .== target
            lanes &+= zero.replacing(with: one, where: hit)
            j += 16
            rounds += 1
        }
        // The sum of sixteen lanes may pass 255: they are widened first.
        count += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
    }
    while j < range.upperBound {
        let c = base[j]
        if scalarStarts ? c & 0xC0 != 0x80 : c == byte { count += 1 }
        j += 1
    }
    return count
}

/// A sixteen-lane mask as two words, each lane a byte of 0xFF (set) or 0, the first lane in
/// the lowest byte of the first word whatever the byte order.
@inline(__always) func laneWords(_ mask: SIMDMask<SIMD16<Int8>>) -> (UInt64, UInt64) {
    let lanes = unsafeBitCast(SIMD16<UInt8>(repeating: 0).replacing(with: 0xFF, where: mask), to: SIMD2<UInt64>.self)
    return (lanes[0].littleEndian, lanes[1].littleEndian)
}

/// Whether `bytes` are valid UTF-8 (Unicode's table of well-formed sequences: no overlong
/// forms, no surrogates, nothing above U+10FFFF, nothing cut off), and whether they are all
/// ASCII. ASCII runs are passed eight bytes at a time. `String(validating:)` checks every
/// byte of a text that has a single accent one at a time; this is what lets a note's text be
/// made from its bytes without that second pass (`utf8String`). Tested against the standard
/// library on every two-byte sequence, every three-byte one with a multi-byte lead, the
/// four-byte leads with every second byte, random bytes, and by the fuzzer on every input.
func validateUTF8(_ p: UnsafeBufferPointer<UInt8>) -> (valid: Bool, ascii: Bool) {
    let n = p.count
    guard n > 0, let base = p.baseAddress else { return (true, true) }
    let raw = UnsafeRawPointer(base)
    var i = 0
    var ascii = true
    @inline(__always) func cont(_ k: Int) -> Bool { k < n && base[k] & 0xC0 == 0x80 }
    @inline(__always) func within(_ k: Int, _ lo: UInt8, _ hi: UInt8) -> Bool { k < n && base[k] >= lo && base[k] <= hi }
    while i < n {
        while i + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let high = w & 0x8080_8080_8080_8080
            if high != 0 { i += high.trailingZeroBitCount >> 3; break }
            i += 8
        }
        guard i < n else { break }
        let c = base[i]
        if c < 0x80 { i += 1; continue }
        ascii = false
        switch c {
        case 0xC2...0xDF:
            guard cont(i + 1) else { return (false, false) }
            i += 2
        case 0xE0:
            guard within(i + 1, 0xA0, 0xBF), cont(i + 2) else { return (false, false) }
            i += 3
        case 0xE1...0xEC, 0xEE...0xEF:
            guard cont(i + 1), cont(i + 2) else { return (false, false) }
            i += 3
        case 0xED:
            guard within(i + 1, 0x80, 0x9F), cont(i + 2) else { return (false, false) }
            i += 3
        case 0xF0:
            guard within(i + 1, 0x90, 0xBF), cont(i + 2), cont(i + 3) else { return (false, false) }
            i += 4
        case 0xF1...0xF3:
            guard cont(i + 1), cont(i + 2), cont(i + 3) else { return (false, false) }
            i += 4
        case 0xF4:
            guard within(i + 1, 0x80, 0x8F), cont(i + 2), cont(i + 3) else { return (false, false) }
            i += 4
        default:
            return (false, false)
        }
    }
    return (true, ascii)
}

/// The text of `bytes` when they are valid UTF-8, checked once by `validateUTF8` and then
/// copied without the standard library checking them again; nil when they are not.
func utf8String(_ bytes: [UInt8]) -> String? {
    let (valid, ascii) = bytes.withUnsafeBufferPointer { validateUTF8($0) }
    guard valid else { return nil }
    return String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: ascii))
}

/// A string of bytes cut from a string at scalar boundaries (so valid UTF-8), copied without
/// checking them again: a `Substring`'s conversion validates its bytes anew. Whether they
/// are ASCII is still found (a word at a time), since a string known to be ASCII compares
/// and hashes by its bytes.
@inline(__always)
func stringOfValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> String {
    guard !b.isEmpty else { return "" }
    var high: UInt8 = 0
    for c in b { high |= c }
    return String(copying: UTF8Span(unchecked: b.span, isKnownASCII: high < 0x80))
}

/// Number of Unicode scalars in a byte range of (possibly invalid) UTF-8.
@inline(__always)
func scalarCount(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
    var n = 0
    for i in range where bytes[i] & 0xC0 != 0x80 { n += 1 }
    return n
}

/// Decodes bytes leniently: invalid sequences become U+FFFD.
@inline(__always)
func decode(_ bytes: ArraySlice<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
}

@inline(__always)
func decode(_ bytes: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
}

/// `decode(bytes, range).trimmingSpaces`, trimming the bytes first.
func decodeTrimmed(_ bytes: [UInt8], _ range: Range<Int>) -> String {
    decode(bytes, trimmed(bytes, range))
}

/// `range` without the spaces and tabs at either end.
func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
    var lo = range.lowerBound, hi = range.upperBound
    while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
    while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
    return lo..<hi
}

/// Decodes the scalar starting at `i`; returns it and its byte length. Invalid bytes decode
/// as U+FFFD with length 1.
@inline(__always)
func scalar(at i: Int, in bytes: [UInt8], end: Int) -> (UInt32, Int) {
    let b0 = bytes[i]
    if b0 < 0x80 { return (UInt32(b0), 1) }
    func cont(_ k: Int) -> UInt32? {
        guard i + k < end else { return nil }
        let b = bytes[i + k]
        return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
    }
    if b0 & 0xE0 == 0xC0, let c1 = cont(1) {
        let v = UInt32(b0 & 0x1F) << 6 | c1
        if v >= 0x80 { return (v, 2) }
    } else if b0 & 0xF0 == 0xE0, let c1 = cont(1), let c2 = cont(2) {
        let v = UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2
        if v >= 0x800 { return (v, 3) }
    } else if b0 & 0xF8 == 0xF0, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
        let v = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
        if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
    }
    return (0xFFFD, 1)
}

/// The scalar that ends just before byte `i` (i.e. the previous character), if any.
@inline(__always)
func scalar(before i: Int, in bytes: [UInt8], lineStart: Int) -> UInt32? {
    guard i > lineStart else { return nil }
    var j = i - 1
    while j > lineStart, bytes[j] & 0xC0 == 0x80, i - j < 4 { j -= 1 }
    return scalar(at: j, in: bytes, end: i).0
}

/// Whitespace for the tag and mention rules: ASCII space and tab, line breaks, U+00A0,
/// U+3000 and the other Unicode space separators.
@inline(__always)
func isWhitespace(_ v: UInt32) -> Bool {
    switch v {
    case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
         0x202F, 0x205F, 0x3000:
        return true
    default:
        return false
    }
}

/// The indices of `strings` in byte order of their UTF-8 (equal strings in index order).
/// Sorting the strings themselves compares them as strings (retaining and releasing them, and
/// by canonical equivalence, which is no order for some NFC and NFD spellings); this sorts
/// plain keys, the first 16 bytes of each, and on a tie compares the rest with `memcmp` in
/// one buffer holding all of them.
public func utf8SortedIndices(_ strings: [String]) -> [Int] {
    struct Key { var hi: UInt64, lo: UInt64, start: Int, count: Int, index: Int }
    var all: [UInt8] = []
    all.reserveCapacity(strings.count * 48)
    var keys = strings.indices.map { i -> Key in
        var text = strings[i]
        return text.withUTF8 { b in
            var hi: UInt64 = 0, lo: UInt64 = 0
            for k in 0..<16 {
                let byte = k < b.count ? UInt64(b[k]) : 0
                if k < 8 { hi = hi << 8 | byte } else { lo = lo << 8 | byte }
            }
            let start = all.count
            all.append(contentsOf: b)
            return Key(hi: hi, lo: lo, start: start, count: b.count, index: i)
        }
    }
    all.withUnsafeBufferPointer { bytes in
        let base = bytes.baseAddress
        keys.sort { a, b in
            if a.hi != b.hi { return a.hi < b.hi }
            if a.lo != b.lo { return a.lo < b.lo }
            // The first 16 bytes are equal (or both strings end within them).
            let n = min(a.count, b.count) - 16
            let c = n <= 0 ? 0 : memcmp(base! + a.start + 16, base! + b.start + 16, n)
            if c != 0 { return c < 0 }
            return a.count != b.count ? a.count < b.count : a.index < b.index
        }
    }
    return keys.map(\.index)
}

extension String {
    /// Byte order of the UTF-8 (the order of paths everywhere in mycel), by `memcmp`: the
    /// generic comparison walks an iterator a byte at a time.
    @inline(__always)
    func utf8Precedes(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    /// The key used for every case-insensitive comparison of names, paths, aliases and tags.
    /// Swift compares strings by canonical equivalence, so NFC and NFD spellings of a name
    /// already hash and compare equal once lower-cased.
    public var folded: String {
        // Most names are ASCII and already lower case: keep the string itself (no copy).
        var copy = self
        let kind = copy.withUTF8 { b -> UInt8 in
            var upper = false
            for c in b {
                if c >= 0x80 { return 2 }
                if c &- 0x41 < 26 { upper = true }
            }
            return upper ? 1 : 0
        }
        if kind == 0 { return self }
        if kind == 1 {
            return copy.withUTF8 { b in
                String(unsafeUninitializedCapacity: b.count) { out in
                    for k in 0..<b.count { out[k] = b[k] &- 0x41 < 26 ? b[k] | 0x20 : b[k] }
                    return b.count
                }
            }
        }
        // The same as `lowercased()` (each scalar's lower-case mapping), but ASCII and Latin-1
        // letters are mapped directly, scripts without case (CJK, kana, Hangul, emoji) are
        // copied, and only the other scalars are looked up. No lower-case mapping is longer
        // than 1.5 times its scalar's UTF-8; should one ever be, `lowercased()` answers.
        return copy.withUTF8 { b in
            let capacity = b.count * 2 + 16
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { out in
                var i = 0, k = 0
                @inline(__always) func put(_ v: UInt32) {
                    if v < 0x80 {
                        out[k] = UInt8(v); k += 1
                    } else if v < 0x800 {
                        out[k] = UInt8(0xC0 | v >> 6); out[k + 1] = UInt8(0x80 | v & 0x3F); k += 2
                    } else if v < 0x10000 {
                        out[k] = UInt8(0xE0 | v >> 12); out[k + 1] = UInt8(0x80 | v >> 6 & 0x3F)
                        out[k + 2] = UInt8(0x80 | v & 0x3F); k += 3
                    } else {
                        out[k] = UInt8(0xF0 | v >> 18); out[k + 1] = UInt8(0x80 | v >> 12 & 0x3F)
                        out[k + 2] = UInt8(0x80 | v >> 6 & 0x3F); out[k + 3] = UInt8(0x80 | v & 0x3F); k += 4
                    }
                }
                // Set when a scalar lowers to another: a name already lower case (accented,
                // or in a script without case) is kept as it is, with nothing allocated.
                var changed = false
                while i < b.count {
                    guard k + 16 <= capacity else { return lowercased() }
                    let c = b[i]
                    if c < 0x80 {
                        if c &- 0x41 < 26 { changed = true }
                        out[k] = c &- 0x41 < 26 ? c | 0x20 : c
                        k += 1; i += 1
                        continue
                    }
                    // The string is valid UTF-8: decode the scalar from its lead byte.
                    let len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                    var v = UInt32(c) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
                    for j in 1..<len { v = v << 6 | UInt32(b[i + j] & 0x3F) }
                    if v < 0x100 {
                        // À-Þ (but ×) lower by 0x20; the rest of Latin-1 is unchanged.
                        let upper = v &- 0xC0 < 0x1F && v != 0xD7
                        if upper { changed = true }
                        put(upper ? v + 0x20 : v)
                    } else if String.caseless(v) || !Unicode.Scalar(v)!.properties.changesWhenLowercased {
                        for j in 0..<len { out[k + j] = b[i + j] }
                        k += len
                    } else {
                        changed = true
                        for m in Unicode.Scalar(v)!.properties.lowercaseMapping.unicodeScalars { put(m.value) }
                    }
                    i += len
                }
                guard changed else { return self }
                return String(decoding: UnsafeBufferPointer(rebasing: out[0..<k]), as: UTF8.self)
            }
        }
    }

    /// Blocks no scalar of which changes when lower-cased: CJK radicals to Yi (with kana,
    /// Hangul letters and the unified ideographs), Hangul syllables, and the emoji and
    /// symbol planes from mahjong tiles to the symbols extension. Checked scalar by scalar
    /// by a test.
    @inline(__always)
    static func caseless(_ v: UInt32) -> Bool {
        (v &- 0x2E80 < 0xA640 - 0x2E80) || (v &- 0xAC00 < 0xD7A4 - 0xAC00) || (v &- 0x1F000 < 0x1FB00 - 0x1F000)
    }

    /// True when the string folds to `lower` (lower-case ASCII, such as a property name),
    /// without building the folded copy when the string is ASCII.
    func folds(to lower: String) -> Bool {
        var a = self, b = lower
        let ascii: Bool? = a.withUTF8 { x in
            b.withUTF8 { y in
                // Lower-casing never makes a name that folds to ASCII longer: only the Kelvin
                // sign (three bytes) lowers to ASCII (`k`) from outside it. So a shorter name
                // cannot match, and a name of the same length matches only byte for byte.
                if x.count < y.count { return false }
                if x.count == y.count {
                    for k in 0..<x.count where (x[k] &- 0x41 < 26 ? x[k] | 0x20 : x[k]) != y[k] { return false }
                    return true
                }
                for c in x where c >= 0x80 { return nil }   // K (Kelvin) folds to k: ask `folded`
                return false
            }
        }
        return ascii ?? (folded == lower)
    }

    /// Trims ASCII spaces and tabs (the format's notion of padding around link parts).
    public var trimmingSpaces: String {
        var copy = self
        let (lead, trail) = copy.withUTF8 { b -> (Int, Int) in
            var lo = 0, hi = b.count
            while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
            while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
            return (lo, b.count - hi)
        }
        if lead == 0 && trail == 0 { return self }
        let u = utf8
        return String(self[u.index(u.startIndex, offsetBy: lead)..<u.index(u.endIndex, offsetBy: -trail)])
    }

    /// The string without its last `n` bytes, which must end a scalar (`.md`).
    func droppingLastBytes(_ n: Int) -> String {
        let u = utf8
        return String(self[..<u.index(u.endIndex, offsetBy: -n)])
    }

    /// True when the UTF-8 holds `byte` (`memchr`; the generic `contains` walks an iterator).
    func containsByte(_ byte: UInt8) -> Bool {
        var copy = self
        return copy.withUTF8 { b in b.count > 0 && memchr(b.baseAddress!, Int32(byte), b.count) != nil }
    }
}

/// The folded names seen so far, for keeping the first spelling of each of a note's tags or
/// aliases. A note has a few: comparing them in a list beats hashing them, so a hash set is
/// made only past 16 (a note with thousands stays linear).
struct FoldedNameSet {
    private var list: [String] = []
    private var set: Set<String>?

    init(capacity: Int) { list.reserveCapacity(min(capacity, 17)) }

    /// Empties the set, keeping its memory.
    mutating func removeAll() {
        list.removeAll(keepingCapacity: true)
        set = nil
    }

    /// False when `key` was already there.
    mutating func insert(_ key: String) -> Bool {
        if set != nil { return set!.insert(key).inserted }
        if list.contains(key) { return false }
        list.append(key)
        if list.count > 16 {
            set = Set(list)
            list = []
        }
        return true
    }
}

/// Percent-decodes a Markdown link destination (`my%20note.md`). Malformed escapes are kept.
func percentDecode(_ s: String) -> String {
    guard s.containsByte(UInt8(ascii: "%")) else { return s }
    var out: [UInt8] = []
    let b = Array(s.utf8)
    var i = 0
    func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
    while i < b.count {
        if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
            out.append(h << 4 | l)
            i += 3
        } else {
            out.append(b[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

extension String.UTF8View {
    /// True when two bytes occur next to each other (`[[`), without Foundation's slow path.
    func containsPair(_ a: UInt8, _ b: UInt8) -> Bool {
        if let found = withContiguousStorageIfAvailable({ bytes -> Bool in
            guard bytes.count >= 2 else { return false }
            var i = 0
            while let hit = memchr(bytes.baseAddress! + i, Int32(a), bytes.count - 1 - i) {
                let at = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if bytes[at + 1] == b { return true }
                i = at + 1
                if i >= bytes.count - 1 { break }
            }
            return false
        }) { return found }
        var previous: UInt8 = 0
        for c in self {
            if previous == a && c == b { return true }
            previous = c
        }
        return false
    }
}

extension String.UTF8View {
    /// True when the text ends in `.md`, in any case (`.MD`).
    var hasMDSuffix: Bool {
        if let found = withContiguousStorageIfAvailable({ b -> Bool in
            let n = b.count
            return n >= 3 && b[n - 1] | 0x20 == UInt8(ascii: "d") && b[n - 2] | 0x20 == UInt8(ascii: "m") && b[n - 3] == UInt8(ascii: ".")
        }) { return found }
        var it = reversed().makeIterator()
        guard let d = it.next(), let m = it.next(), let dot = it.next() else { return false }
        return d | 0x20 == UInt8(ascii: "d") && m | 0x20 == UInt8(ascii: "m") && dot == UInt8(ascii: ".")
    }

    /// False only when the text certainly holds no `isTerminalControl` scalar: every byte is
    /// printable ASCII or starts a scalar that cannot be one (a quick test on the bytes).
    var mayHoldTerminalControl: Bool {
        for c in self where c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xD8 || c == 0xE2 { return true }
        return false
    }
}

extension Unicode.Scalar {
    /// True for what a terminal acts on instead of showing: C0 and C1 controls (ESC starts
    /// every escape sequence, BEL ends OSC ones), DEL, and the bidirectional marks, embeddings,
    /// overrides and isolates that reorder the text around them. The browser, `show` and
    /// every command on a terminal draw these as visible symbols, so a note can never move
    /// the cursor, retitle the window, write the clipboard or disguise a line.
    /// What mycel shows for a terminal control: the Control Pictures symbol of a C0 control
    /// (␀ … ␟, so ESC shows as ␛), U+FFFD for the others.
    public var visibleStandIn: Unicode.Scalar {
        value < 0x20 ? Unicode.Scalar(0x2400 + value)! : "\u{FFFD}"
    }

    public var isTerminalControl: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
