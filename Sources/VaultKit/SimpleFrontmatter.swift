#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// A fast reader for the frontmatter most notes have: top-level `key: value` lines whose
// values are plain or quoted scalars on one line, one-line flow lists (`[a, "b"]`) and block
// lists of such scalars (`- item`). It gives exactly what Yams gives for those (properties,
// scalar sites, lines and columns) and declines anything else — comments, block scalars,
// nested maps, anchors, escapes, tabs, duplicate keys, unusual characters — so Yams reads
// that. Declining is always safe; a differential test and the fuzzer check that whatever it
// accepts, Yams reads the same way.
//
// Yams builds a node tree through libyaml for every note; on a 10,000-note vault that was
// about 40% of parsing. This reader is one pass over the bytes with no tree.

enum SimpleFrontmatter {
    /// The properties and scalar sites of `yaml`, or nil when it is not of the simple shape.
    static func parse(_ yaml: String, firstLine: Int) -> (properties: [Property], sites: [ScalarSite])? {
        var yaml = yaml
        return yaml.withUTF8 { parse($0, firstLine: firstLine) }
    }

    private static let space = UInt8(ascii: " "), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")
    private static let colon = UInt8(ascii: ":"), hash = UInt8(ascii: "#"), dash = UInt8(ascii: "-")
    private static let lbracket = UInt8(ascii: "["), rbracket = UInt8(ascii: "]"), comma = UInt8(ascii: ",")

    private struct Line {
        var start: Int
        var end: Int      // before the line break (and a CR before it)
        var number: Int   // zero-based within the YAML text
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, firstLine: Int) -> (properties: [Property], sites: [ScalarSite])? {
        guard allCharactersPlain(b) else { return nil }
        var lines: [Line] = []
        lines.reserveCapacity(16)
        var start = 0, number = 0
        while start <= b.count {
            var end = b.count
            if start < b.count, let lf = memchr(b.baseAddress! + start, 0x0A, b.count - start) {
                end = b.baseAddress!.distance(to: lf.assumingMemoryBound(to: UInt8.self))
            }
            if end == b.count, start == end { break }
            var contentEnd = end
            if contentEnd > start, b[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            lines.append(Line(start: start, end: contentEnd, number: number))
            number += 1
            start = end + 1
        }

        var properties: [Property] = []
        properties.reserveCapacity(lines.count)
        var sites: [ScalarSite] = []
        sites.reserveCapacity(lines.count * 2)
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if isBlank(b, line.start, line.end) { i += 1; continue }
            // A key at column one: letters, digits, `_ - . /`, inner spaces, any non-ASCII.
            guard let keyEnd = keyEnd(b, line) else { return nil }
            var keyLast = keyEnd
            while keyLast > line.start, b[keyLast - 1] == space { keyLast -= 1 }
            let key = decode(b, line.start, keyLast)
            // A repeated key is left to Yams (a note has a handful: a scan beats hashing), and
            // so is a block of more than 64 keys, which the scan would make slow.
            guard properties.count < 64, !properties.contains(where: { $0.key == key }) else { return nil }
            let keyLine = line.number + firstLine
            var v = keyEnd + 1
            while v < line.end, b[v] == space { v += 1 }
            i += 1
            if v == line.end {
                // Nothing after the colon: a block list on the lines below, or null.
                var items: [PropertyValue] = []
                // Sized once, to the item lines below (the list grew by doubling before).
                var itemLines = 0
                for l in lines[i...] {
                    var d = l.start
                    while d < l.end, b[d] == space { d += 1 }
                    guard d < l.end, b[d] == dash else { break }
                    itemLines += 1
                }
                items.reserveCapacity(itemLines)
                var indent: Int?
                while i < lines.count {
                    let l = lines[i]
                    if isBlank(b, l.start, l.end) { i += 1; continue }
                    var d = l.start
                    while d < l.end, b[d] == space { d += 1 }
                    guard d < l.end, b[d] == dash else {
                        if d > l.start { return nil }  // indented, but not a list item
                        break
                    }
                    if let indent, d - l.start != indent { return nil }
                    indent = d - l.start
                    guard d + 1 < l.end, b[d + 1] == space else { return nil }
                    var s = d + 2
                    while s < l.end, b[s] == space { s += 1 }
                    guard s < l.end, let item = scalar(b, s, l.end, flow: false) else { return nil }
                    guard skipSpaces(b, item.end, l.end) == l.end else { return nil }
                    items.append(item.value)
                    site(item, key: key, line: l, firstLine: firstLine, depth: 1, b, &sites)
                    i += 1
                }
                properties.append(Property(key: key, value: indent == nil ? .null : .list(items), line: keyLine))
                continue
            }
            // Anything indented below a value (a continuation, a nested map) goes to Yams.
            if i < lines.count, b[lines[i].start..<lines[i].end].first == space, !isBlank(b, lines[i].start, lines[i].end) {
                return nil
            }
            if b[v] == lbracket {
                var items: [PropertyValue] = []
                // Sized once, to one more than the line's commas (a comma in a quoted item
                // only makes it a little larger).
                var commas = 0
                for k in v..<line.end where b[k] == comma { commas += 1 }
                items.reserveCapacity(commas + 1)
                var p = skipSpaces(b, v + 1, line.end)
                if p < line.end, b[p] == rbracket {
                    p += 1
                } else {
                    while true {
                        guard p < line.end, let item = scalar(b, p, line.end, flow: true) else { return nil }
                        items.append(item.value)
                        site(item, key: key, line: line, firstLine: firstLine, depth: 1, b, &sites)
                        p = skipSpaces(b, item.end, line.end)
                        guard p < line.end else { return nil }
                        if b[p] == rbracket { p += 1; break }
                        guard b[p] == comma else { return nil }
                        p = skipSpaces(b, p + 1, line.end)
                        // `[a, ]` and `[a,, b]` are left to Yams.
                        guard p < line.end, b[p] != rbracket, b[p] != comma else { return nil }
                    }
                }
                guard skipSpaces(b, p, line.end) == line.end else { return nil }
                properties.append(Property(key: key, value: .list(items), line: keyLine))
                continue
            }
            guard let item = scalar(b, v, line.end, flow: false), skipSpaces(b, item.end, line.end) == line.end else {
                return nil
            }
            site(item, key: key, line: line, firstLine: firstLine, depth: 0, b, &sites)
            properties.append(Property(key: key, value: item.value, line: keyLine))
        }
        return (properties, sites)
    }

    private struct Scalar {
        var value: PropertyValue
        var text: String
        var quoted: Bool
        var start: Int   // first byte (the opening quote when quoted)
        var end: Int     // byte after the scalar
    }

    private static func site(_ s: Scalar, key: String, line: Line, firstLine: Int, depth: Int,
                             _ b: UnsafeBufferPointer<UInt8>, _ sites: inout [ScalarSite]) {
        guard case .scalar = s.value else { return }
        var column = 1
        for k in line.start..<s.start where b[k] & 0xC0 != 0x80 { column += 1 }
        sites.append(ScalarSite(key: key, text: s.text, line: line.number + firstLine, column: column,
                                quoted: s.quoted, depth: depth))
    }

    /// A quoted or plain scalar starting at `p`. In flow context a plain scalar ends at `,` or
    /// `]`; in block context at the end of the line. Declines what it cannot read exactly.
    private static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ p: Int, _ end: Int, flow: Bool) -> Scalar? {
        let c = b[p]
        if c == quote {
            var k = p + 1
            while k < end, b[k] != quote {
                if b[k] == UInt8(ascii: "\\") { return nil }  // escapes: Yams
                k += 1
            }
            guard k < end else { return nil }
            let text = decode(b, p + 1, k)
            return Scalar(value: .scalar(text, quoted: true), text: text, quoted: true, start: p, end: k + 1)
        }
        if c == apostrophe {
            var bytes: [UInt8] = []
            var k = p + 1
            while true {
                guard k < end else { return nil }
                if b[k] == apostrophe {
                    if k + 1 < end, b[k + 1] == apostrophe { bytes.append(apostrophe); k += 2; continue }
                    break
                }
                bytes.append(b[k])
                k += 1
            }
            let text = String(decoding: bytes, as: UTF8.self)
            return Scalar(value: .scalar(text, quoted: true), text: text, quoted: true, start: p, end: k + 1)
        }
        // Plain: no indicator first (`- ? : , [ ] { } # & * ! | > ' " % @ \``).
        switch c {
        case dash, UInt8(ascii: "?"), colon, comma, lbracket, rbracket, UInt8(ascii: "{"), UInt8(ascii: "}"),
             hash, UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
             apostrophe, quote, UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), space:
            return nil
        default: break
        }
        var k = p
        var last = p  // byte after the last non-space
        while k < end {
            let x = b[k]
            if x == colon, k + 1 == end || b[k + 1] == space || (flow && (b[k + 1] == comma || b[k + 1] == rbracket)) {
                return nil  // `a: b` inside a value is a mapping (or an error)
            }
            if x == hash, b[k - 1] == space { return nil }  // a comment
            if flow {
                if x == comma || x == rbracket { break }
                if x == lbracket || x == UInt8(ascii: "{") || x == UInt8(ascii: "}") || x == quote || x == apostrophe {
                    return nil
                }
            }
            k += 1
            if x != space { last = k }
        }
        let text = decode(b, p, last)
        let isNull = text == "~" || YAMLCore.isNull(text)
        return Scalar(value: isNull ? .null : .scalar(text, quoted: false), text: text, quoted: false, start: p, end: last)
    }

    /// The byte of the `:` ending a top-level key on `line`, or nil when the line is not one.
    private static func keyEnd(_ b: UnsafeBufferPointer<UInt8>, _ line: Line) -> Int? {
        guard line.start < line.end else { return nil }
        let first = b[line.start]
        guard isKeyStart(first) else { return nil }
        var k = line.start
        while k < line.end {
            let x = b[k]
            if x == colon {
                guard k + 1 == line.end || b[k + 1] == space else { return nil }
                return k
            }
            guard isKeyStart(x) || x == space || x == dash || x == UInt8(ascii: ".") || x == UInt8(ascii: "/") else {
                return nil
            }
            k += 1
        }
        return nil
    }

    private static func isKeyStart(_ x: UInt8) -> Bool {
        (x >= 0x61 && x <= 0x7A) || (x >= 0x41 && x <= 0x5A) || (x >= 0x30 && x <= 0x39) || x == UInt8(ascii: "_") || x >= 0x80
    }

    /// False when the text holds a character libyaml treats specially: controls (tabs
    /// included), DEL, C1 controls, the NEL, LS and PS line breaks, a byte order mark,
    /// U+FFFE and U+FFFF, or a stray CR.
    private static func allCharactersPlain(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        let n = b.count
        // Sixteen bytes of printable ASCII and line feeds at a time; a block with anything
        // else is checked byte by byte.
        let space = SIMD16<UInt8>(repeating: 0x20), lf = SIMD16<UInt8>(repeating: 0x0A)
        let del = SIMD16<UInt8>(repeating: 0x7F)
        while k < n {
            if k + 16 <= n {
                let v = UnsafeRawPointer(b.baseAddress! + k).loadUnaligned(as: SIMD16<UInt8>.self)
                // The lanes below a space (but a line feed) or from DEL up, read as two words
                // (`any` of this mask was compiled to a call reducing it lane by lane).
                let (lo, hi) = laneWords(((v .< space) .& (v .!= lf)) .| (v .>= del))
                if lo | hi == 0 { k += 16; continue }
            }
            let blockEnd = min(k + 16, n)
            while k < blockEnd {
                guard plainAt(b, k) else { return false }
                k += 1
            }
        }
        return true
    }

    /// Whether the byte at `k` passes `allCharactersPlain` (a sequence is judged at its
    /// first byte).
    @inline(__always) private static func plainAt(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        let n = b.count
        let x = b[k]
        if x < 0x20 { return x == 0x0A || (x == 0x0D && k + 1 < n && b[k + 1] == 0x0A) }
        if x == 0x7F { return false }
        if x == 0xC2, k + 1 < n, b[k + 1] < 0xA0 { return false }
        if x == 0xE2, k + 2 < n, b[k + 1] == 0x80, b[k + 2] == 0xA8 || b[k + 2] == 0xA9 { return false }
        if x == 0xEF, k + 2 < n, (b[k + 1] == 0xBB && b[k + 2] == 0xBF) || (b[k + 1] == 0xBF && b[k + 2] >= 0xBE) {
            return false
        }
        return true
    }

    private static func isBlank(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        skipSpaces(b, start, end) == end
    }

    private static func skipSpaces(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var k = from
        while k < end, b[k] == space { k += 1 }
        return k
    }

    private static func decode(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }
}
