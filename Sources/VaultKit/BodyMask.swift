#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Marks the parts of a note where links, tags and mentions do not count: fenced and indented
// code, inline code spans, `%% comments %%`, `<!-- HTML comments -->`, HTML blocks and math.
// One left-to-right pass over the lines with a small state machine, so a fence inside a
// comment stays hidden and a `%%` inside code opens nothing.

/// Per-byte flags over a whole file.
struct BodyMask {
    static let hidden: UInt8 = 1      // code, comments, math, HTML, frontmatter
    static let linkSyntax: UInt8 = 2  // a wikilink's target or a Markdown link's destination
    static let linkSpan: UInt8 = 4    // any part of a link (no unlinked mentions there)
    static let comment: UInt8 = 8     // inside `%% ... %%` (hidden from readers too)

    var flags: [UInt8]

    /// `count` clear flags, kept in `storage`'s memory when it has room (what it held is
    /// dropped).
    init(count: Int, reusing storage: consuming [UInt8] = []) {
        // Worked on as a local: assigned to `flags` first, the storage was still referenced
        // by the parameter when it was emptied, so every note got new memory (and new pages
        // to fault in) instead of the task's scratch.
        var f = storage
        if f.count > count { f.removeLast(f.count - count) }
        f.withUnsafeMutableBufferPointer { p in
            if let base = p.baseAddress { memset(base, 0, p.count) }
        }
        if f.count < count { f.append(contentsOf: repeatElement(0, count: count - f.count)) }
        flags = f
    }

    @inline(__always) func isHidden(_ i: Int) -> Bool { flags[i] & Self.hidden != 0 }

    @inline(__always) mutating func set(_ range: Range<Int>, _ flag: UInt8) {
        for i in range { flags[i] |= flag }
    }

    func anyHidden(_ range: Range<Int>) -> Bool {
        for i in range where flags[i] & Self.hidden != 0 { return true }
        return false
    }

    func any(_ flag: UInt8, in range: Range<Int>) -> Bool {
        for i in range where flags[i] & flag != 0 { return true }
        return false
    }
}

private let backtick = UInt8(ascii: "`"), tilde = UInt8(ascii: "~"), space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t"), dollar = UInt8(ascii: "$"), percent = UInt8(ascii: "%")
private let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), backslash = UInt8(ascii: "\\")
private let bang = UInt8(ascii: "!"), dash = UInt8(ascii: "-")

/// HTML block tags (CommonMark's kind 6): a line starting with one of these opens a block
/// that runs to the next blank line.
private let blockTags: Set<String> = [
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
    "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
]
/// Raw HTML blocks (kind 1): they run to their closing tag, blank lines included.
private let rawTags: Set<String> = ["script", "pre", "style", "textarea"]

enum MaskBuilder {
    private enum State {
        case normal
        case fence(UInt8, Int)       // fence character and length
        case percentComment          // inside %% ... %%
        case htmlComment             // inside <!-- ... -->
        case htmlBlock               // ends at a blank line
        case rawHTML(String)         // ends at </tag>
        case mathBlock               // inside $$ ... $$
    }

    /// Builds the mask for `bytes`, hiding everything before `bodyStart` (the frontmatter).
    static func build(_ bytes: [UInt8], bodyStart: Int, lines: LineIndex, reusing storage: consuming [UInt8] = []) -> BodyMask {
        var mask = BodyMask(count: bytes.count, reusing: storage)
        if bodyStart > 0 { mask.set(0..<bodyStart, BodyMask.hidden) }
        var state = State.normal
        var previousBlank = true
        var previousIndentedCode = false
        var inList = false
        let firstLine = lines.line(of: bodyStart)
        guard bodyStart < bytes.count else { return mask }
        for n in firstLine..<lines.starts.count {
            let r = lines.range(ofLine: n, in: bytes)
            let lineStart = max(r.lowerBound, bodyStart)
            let end = r.upperBound
            let fullLine = lineStart..<max(lineStart, (n + 1 < lines.starts.count ? lines.starts[n + 1] : bytes.count))
            let blank = isBlank(bytes, lineStart..<end)

            switch state {
            case let .fence(ch, len):
                mask.set(fullLine, BodyMask.hidden)
                if closesFence(bytes, lineStart..<end, ch, len) { state = .normal }
                previousBlank = false
                continue
            case .htmlBlock:
                if blank { state = .normal; previousBlank = true; continue }
                mask.set(fullLine, BodyMask.hidden)
                continue
            case let .rawHTML(tag):
                mask.set(fullLine, BodyMask.hidden)
                if containsCaseInsensitive(bytes, lineStart..<end, "</" + tag) { state = .normal }
                continue
            case .mathBlock:
                if let close = find(bytes, lineStart..<end, [dollar, dollar]) {
                    mask.set(lineStart..<(close + 2), BodyMask.hidden)
                    state = .normal
                    scanInline(bytes, (close + 2)..<end, &mask, &state, lineEnd: fullLine.upperBound)
                } else {
                    mask.set(fullLine, BodyMask.hidden)
                }
                continue
            case .percentComment, .htmlComment:
                scanInline(bytes, lineStart..<end, &mask, &state, lineEnd: fullLine.upperBound)
                previousBlank = blank
                continue
            case .normal:
                break
            }

            // Most lines start with a letter: no block starts there (fences, math, HTML,
            // quotes, lists and indented code all start otherwise), so only the inline scan
            // is left, and a letter after a blank line ends a list.
            if lineStart < end, startsWithLetter(bytes[lineStart]) {
                if previousBlank { inList = false }
                previousBlank = false
                previousIndentedCode = false
                scanInline(bytes, lineStart..<end, &mask, &state, lineEnd: fullLine.upperBound)
                continue
            }

            if blank {
                previousBlank = true
                previousIndentedCode = false
                continue
            }
            // Block starts are looked for after any blockquote markers (`> ` callouts).
            var content = lineStart
            while content < end, bytes[content] == gt {
                content += 1
                if content < end, bytes[content] == space { content += 1 }
            }
            let (indent, afterIndent) = indentation(bytes, content..<end)

            // Indented code: 4+ columns after a blank line, outside lists.
            if content == lineStart, indent >= 4, !inList, previousBlank || previousIndentedCode {
                mask.set(fullLine, BodyMask.hidden)
                previousIndentedCode = true
                previousBlank = false
                continue
            }
            previousIndentedCode = false

            if indent < 4 || inList {
                if let (ch, len) = opensFence(bytes, afterIndent..<end) {
                    state = .fence(ch, len)
                    mask.set(fullLine, BodyMask.hidden)
                    previousBlank = false
                    continue
                }
                if afterIndent + 1 < end, bytes[afterIndent] == dollar, bytes[afterIndent + 1] == dollar,
                   find(bytes, (afterIndent + 2)..<end, [dollar, dollar]) == nil {
                    state = .mathBlock
                    mask.set(fullLine, BodyMask.hidden)
                    previousBlank = false
                    continue
                }
                if afterIndent < end, bytes[afterIndent] == lt, let kind = htmlBlockStart(bytes, afterIndent..<end, canInterrupt: previousBlank) {
                    switch kind {
                    case .comment:
                        // Handled inline so text after `-->` on the same line still counts.
                        break
                    case let .raw(tag):
                        mask.set(fullLine, BodyMask.hidden)
                        if !containsCaseInsensitive(bytes, (afterIndent + 1)..<end, "</" + tag) {
                            state = .rawHTML(tag)
                        }
                        previousBlank = false
                        continue
                    case .block:
                        mask.set(fullLine, BodyMask.hidden)
                        state = .htmlBlock
                        previousBlank = false
                        continue
                    }
                }
            }

            if isListItem(bytes, afterIndent..<end) {
                inList = true
            } else if previousBlank && indent < 2 {
                inList = false
            }
            previousBlank = false
            scanInline(bytes, lineStart..<end, &mask, &state, lineEnd: fullLine.upperBound)
        }
        return mask
    }

    /// Inline pass over one line: code spans, `%%` and `<!-- -->` comments (which may run
    /// on to later lines through `state`), and `$math$`.
    private static func scanInline(_ b: [UInt8], _ r: Range<Int>, _ mask: inout BodyMask,
                                   _ state: inout State, lineEnd: Int) {
        var i = r.lowerBound
        let end = r.upperBound
        while i < end {
            switch state {
            case .percentComment:
                if let close = find(b, i..<end, [percent, percent]) {
                    mask.set(i..<(close + 2), BodyMask.hidden | BodyMask.comment)
                    i = close + 2
                    state = .normal
                } else {
                    mask.set(i..<lineEnd, BodyMask.hidden | BodyMask.comment)
                    return
                }
                continue
            case .htmlComment:
                if let close = find(b, i..<end, [dash, dash, gt]) {
                    mask.set(i..<(close + 3), BodyMask.hidden)
                    i = close + 3
                    state = .normal
                } else {
                    mask.set(i..<lineEnd, BodyMask.hidden)
                    return
                }
                continue
            default:
                break
            }
            // Most bytes open nothing: skip to the next that may (`\ ` % < $`).
            i = b.withUnsafeBufferPointer { p in skipInert(p, from: i, end: end) }
            if i == end { return }
            let c = b[i]
            if c == backslash {
                i += 2
                continue
            }
            if c == backtick {
                var run = 0
                while i + run < end, b[i + run] == backtick { run += 1 }
                if let close = findBacktickRun(b, (i + run)..<end, run) {
                    mask.set(i..<(close + run), BodyMask.hidden)
                    i = close + run
                } else {
                    i += run
                }
                continue
            }
            if c == percent, i + 1 < end, b[i + 1] == percent {
                state = .percentComment
                mask.set(i..<(i + 2), BodyMask.hidden | BodyMask.comment)
                i += 2
                continue
            }
            if c == lt, i + 3 < end, b[i + 1] == bang, b[i + 2] == dash, b[i + 3] == dash {
                state = .htmlComment
                mask.set(i..<(i + 4), BodyMask.hidden)
                i += 4
                continue
            }
            if c == dollar {
                if i + 1 < end, b[i + 1] == dollar {
                    if let close = find(b, (i + 2)..<end, [dollar, dollar]) {
                        mask.set(i..<(close + 2), BodyMask.hidden)
                        i = close + 2
                    } else {
                        i += 2
                    }
                    continue
                }
                if let close = inlineMathEnd(b, i, end) {
                    mask.set(i..<(close + 1), BodyMask.hidden)
                    i = close + 1
                    continue
                }
            }
            i += 1
        }
    }

    /// The first byte at or after `from` that may open an inline construct (`\\`, `` ` ``,
    /// `%`, `<`, `$`), or `end`.
    private static func skipInert(_ p: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        firstOf(p, from: from, end: end, backslash, backtick, percent, lt, dollar)
    }

    /// `$x$`: the opener is followed by a non-space, the closer preceded by a non-space and
    /// not followed by a digit (so `$5 and $10` is not math).
    private static func inlineMathEnd(_ b: [UInt8], _ open: Int, _ end: Int) -> Int? {
        guard open + 1 < end, b[open + 1] != space, b[open + 1] != tab, b[open + 1] != dollar else { return nil }
        var j = open + 1
        while j < end {
            if b[j] == backslash { j += 2; continue }
            if b[j] == dollar {
                let before = b[j - 1]
                let afterIsDigit = j + 1 < end && b[j + 1] >= 0x30 && b[j + 1] <= 0x39
                if before != space && before != tab && !afterIsDigit { return j }
                if before == space || before == tab { return nil }
            }
            j += 1
        }
        return nil
    }

    private static func findBacktickRun(_ b: [UInt8], _ r: Range<Int>, _ len: Int) -> Int? {
        var i = r.lowerBound
        while i < r.upperBound {
            if b[i] == backtick {
                var run = 0
                while i + run < r.upperBound, b[i + run] == backtick { run += 1 }
                if run == len { return i }
                i += run
            } else {
                i += 1
            }
        }
        return nil
    }

    static func find(_ b: [UInt8], _ r: Range<Int>, _ needle: [UInt8]) -> Int? {
        guard r.count >= needle.count else { return nil }
        var i = r.lowerBound
        let last = r.upperBound - needle.count
        while i <= last {
            if b[i] == needle[0] {
                var k = 1
                while k < needle.count, b[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    private static func containsCaseInsensitive(_ b: [UInt8], _ r: Range<Int>, _ s: String) -> Bool {
        let needle = Array(s.utf8)
        guard r.count >= needle.count else { return false }
        for i in r.lowerBound...(r.upperBound - needle.count) {
            var k = 0
            while k < needle.count, b[i + k] | 0x20 == needle[k] | 0x20 { k += 1 }
            if k == needle.count { return true }
        }
        return false
    }

    static func isBlank(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        for i in r where b[i] != space && b[i] != tab { return false }
        return true
    }

    /// Indentation in columns (a tab advances to the next multiple of 4) and where the
    /// content starts.
    static func indentation(_ b: [UInt8], _ r: Range<Int>) -> (Int, Int) {
        var col = 0
        var i = r.lowerBound
        while i < r.upperBound {
            if b[i] == space { col += 1 } else if b[i] == tab { col += 4 - col % 4 } else { break }
            i += 1
        }
        return (col, i)
    }

    /// A fence opener: 3+ backticks (no backtick in the info string) or 3+ tildes.
    private static func opensFence(_ b: [UInt8], _ r: Range<Int>) -> (UInt8, Int)? {
        guard let first = r.first, b[first] == backtick || b[first] == tilde else { return nil }
        let ch = b[first]
        var len = 0
        while first + len < r.upperBound, b[first + len] == ch { len += 1 }
        guard len >= 3 else { return nil }
        if ch == backtick, find(b, (first + len)..<r.upperBound, [backtick]) != nil { return nil }
        return (ch, len)
    }

    private static func closesFence(_ b: [UInt8], _ r: Range<Int>, _ ch: UInt8, _ len: Int) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound, b[i] == space || b[i] == tab || b[i] == gt {
            i += 1
        }
        var run = 0
        while i + run < r.upperBound, b[i + run] == ch { run += 1 }
        guard run >= len else { return false }
        return isBlank(b, (i + run)..<r.upperBound)
    }

    static func isListItem(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        guard let f = r.first else { return false }
        let c = b[f]
        if c == dash || c == UInt8(ascii: "*") || c == UInt8(ascii: "+") {
            return f + 1 == r.upperBound || b[f + 1] == space || b[f + 1] == tab
        }
        var i = f
        while i < r.upperBound, b[i] >= 0x30, b[i] <= 0x39, i - f < 9 { i += 1 }
        guard i > f, i < r.upperBound, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ")") else { return false }
        return i + 1 == r.upperBound || b[i + 1] == space || b[i + 1] == tab
    }

    private enum HTMLKind { case comment, raw(String), block }

    /// Recognises the start of an HTML block at `r.lowerBound` (which holds `<`).
    private static func htmlBlockStart(_ b: [UInt8], _ r: Range<Int>, canInterrupt: Bool) -> HTMLKind? {
        var i = r.lowerBound + 1
        guard i < r.upperBound else { return nil }
        if b[i] == bang { return b.count > i + 2 && b[i + 1] == dash && b[i + 2] == dash ? .comment : nil }
        var closing = false
        if b[i] == UInt8(ascii: "/") { closing = true; i += 1 }
        let nameStart = i
        while i < r.upperBound, isASCIIAlnum(b[i]) || b[i] == dash { i += 1 }
        guard i > nameStart, isASCIIAlpha(b[nameStart]) else { return nil }
        let name = String(decoding: b[nameStart..<i], as: UTF8.self).lowercased()
        let next: UInt8 = i < r.upperBound ? b[i] : space
        let boundary = next == space || next == tab || next == gt || next == UInt8(ascii: "/")
        guard boundary else { return nil }
        if !closing, rawTags.contains(name) { return .raw(name) }
        if blockTags.contains(name) { return .block }
        // Kind 7: any other complete tag alone on its line, only after a blank line.
        if canInterrupt, let close = find(b, i..<r.upperBound, [gt]), isBlank(b, (close + 1)..<r.upperBound) {
            return .block
        }
        return nil
    }
}

/// A byte that starts a line no block construct starts: an ASCII letter, or the lead byte
/// of a scalar outside ASCII.
@inline(__always) func startsWithLetter(_ c: UInt8) -> Bool { isASCIIAlpha(c) || c >= 0xC0 }

@inline(__always) func isASCIIAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
@inline(__always) func isASCIIAlnum(_ c: UInt8) -> Bool { isASCIIAlpha(c) || (c >= 0x30 && c <= 0x39) }
