// Wrapping a document to a width by display width: prose breaks at spaces and around wide
// characters (CJK has no spaces), verbatim text at any grapheme; tables shrink their widest
// columns to fit and wrap each cell within its column.

private struct Atom {
    var text: Character
    var width: Int
    var style: Style
    var anchor: Int?
    let isSpace: Bool
    /// A row may end before this atom: wide characters (CJK has no spaces) other than the
    /// punctuation that closes a phrase and must stay with the character before it.
    var breaksBefore: Bool { width == 2 && !"、。，．：；！？）」』】〉》〕｝".contains(text) }
}

private func atoms(_ spans: [Span]) -> [Atom] {
    var out: [Atom] = []
    for span in spans {
        for ch in span.text {
            // Printable ASCII (most text) is its own safe form, one column wide.
            if ch.utf8.count == 1, let byte = ch.utf8.first, byte >= 0x20, byte < 0x7F {
                out.append(Atom(text: ch, width: 1, style: span.style, anchor: span.anchor, isSpace: byte == 0x20))
                continue
            }
            let safe = ch == "\t" ? " " : Sanitize.visible(ch)
            let w = DisplayWidth.of(safe)
            guard w > 0 else { continue }
            out.append(Atom(text: safe, width: w, style: span.style, anchor: span.anchor, isSpace: safe == " " || safe == "\u{3000}"))
        }
    }
    return out
}

extension Span {
    /// The span with terminal controls shown as visible symbols (`Sanitize.line`).
    var safe: Span { Span(Sanitize.line(text), style, anchor: anchor) }
}

/// A line's prefix (quote bars, list indents) kept to half the width: deeper nesting shows
/// `…` and its innermost levels, so the text itself always has room (and a very deep quote
/// at a narrow width does not make a row per character).
private func clamped(_ prefix: [Span], _ width: Int) -> [Span] {
    let budget = width / 2
    guard spansWidth(prefix) > budget else { return prefix }
    guard budget >= 2 else { return [] }
    var kept: [Span] = []
    var used = 1  // the ellipsis
    outer: for span in prefix.reversed() {
        var text = ""
        for ch in span.text.reversed() {
            let w = DisplayWidth.of(ch)
            if used + w > budget {
                if !text.isEmpty { kept.append(Span(String(text.reversed()), span.style, anchor: span.anchor)) }
                break outer
            }
            text.append(ch)
            used += w
        }
        if !text.isEmpty { kept.append(Span(String(text.reversed()), span.style, anchor: span.anchor)) }
    }
    return [Span("…", Style(.dim))] + kept.reversed()
}

private func spansWidth(_ spans: [Span]) -> Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }

extension Document {
    /// Lays the document out `width` columns wide.
    public func layout(width: Int) -> Page {
        var page = Page(width: max(1, width))
        let width = max(1, width)
        for (index, original) in lines.enumerated() {
            // Prose and code are made safe atom by atom; prefixes (a callout's title) and table
            // cells are laid out as whole spans, so they are made safe here, before measuring.
            var line = original
            line.prefix = clamped(line.prefix.map(\.safe), width)
            line.continuation = clamped(line.continuation.map(\.safe), width)
            if case let .table(t) = line.kind {
                line.kind = .table(TableBlock(rows: t.rows.map { $0.map { $0.map(\.safe) } }, alignments: t.alignments))
            }
            switch line.kind {
            case .rule:
                var row = PageRow(line: index)
                var x = append(line.prefix, to: &row, x: 0)
                let n = max(0, width - x)
                row.segments.append(.init(x: x, text: String(repeating: "─", count: n), style: Style(.rule), anchor: nil, width: n))
                x += n
                page.rows.append(row)
            case let .table(table):
                for row in tableRows(table, prefix: line.prefix, width: width, line: index) { page.rows.append(row) }
            case .prose, .verbatim:
                wrap(line, index: index, width: width, verbatim: line.kind == .verbatim, into: &page)
            }
        }
        for (r, row) in page.rows.enumerated() {
            for s in row.segments {
                guard let a = s.anchor else { continue }
                if page.anchorRows[a]?.last != r { page.anchorRows[a, default: []].append(r) }
            }
        }
        return page
    }

    @discardableResult
    private func append(_ spans: [Span], to row: inout PageRow, x: Int) -> Int {
        var x = x
        for s in spans where !s.text.isEmpty {
            let w = DisplayWidth.of(s.text)
            row.segments.append(.init(x: x, text: s.text, style: s.style, anchor: s.anchor, width: w))
            x += w
        }
        return x
    }

    private func emit(_ line: [Atom], prefix: [Span], index: Int, into page: inout Page) {
        var row = PageRow(line: index)
        let x = append(prefix, to: &row, x: 0)
        append(line, to: &row, x: x)
        page.rows.append(row)
    }

    /// Appends atoms from column `x`, those of one style and anchor as one segment; returns
    /// the column after them.
    @discardableResult
    private func append(_ line: [Atom], to row: inout PageRow, x: Int) -> Int {
        var x = x
        var i = 0
        while i < line.count {
            var j = i
            var text = ""
            var w = 0
            while j < line.count, line[j].style == line[i].style, line[j].anchor == line[i].anchor {
                text.append(line[j].text)
                w += line[j].width
                j += 1
            }
            row.segments.append(.init(x: x, text: text, style: line[i].style, anchor: line[i].anchor, width: w))
            x += w
            i = j
        }
        return x
    }

    private func wrap(_ line: DocLine, index: Int, width: Int, verbatim: Bool, into page: inout Page) {
        let firstAvail = max(1, width - DisplayWidth.of(line.prefix.map(\.text).joined()))
        let restAvail = max(1, width - DisplayWidth.of(line.continuation.map(\.text).joined()))
        let rows = breakLines(atoms(line.spans), first: firstAvail, rest: restAvail, verbatim: verbatim)
        for (k, atoms) in rows.enumerated() {
            emit(atoms, prefix: k == 0 ? line.prefix : line.continuation, index: index, into: &page)
        }
    }

    /// `all` broken into rows, the first `first` columns wide and the others `rest`: prose
    /// at spaces and around wide characters, verbatim text at any grapheme. At least one
    /// row, empty for no atoms.
    private func breakLines(_ all: [Atom], first firstAvail: Int, rest restAvail: Int, verbatim: Bool) -> [[Atom]] {
        var rows: [[Atom]] = []
        var current: [Atom] = []
        var used = 0
        var breakAt: Int?
        var first = true
        var avail = firstAvail

        func flush(_ atoms: [Atom]) {
            var atoms = atoms
            if !verbatim { while atoms.last?.isSpace == true { atoms.removeLast() } }
            rows.append(atoms)
            first = false
            avail = restAvail
        }

        for atom in all {
            if !verbatim, atom.isSpace, current.isEmpty, !first { continue }
            if used + atom.width > avail {
                if !verbatim, atom.isSpace {
                    flush(current)
                    current = []; used = 0; breakAt = nil
                    continue
                }
                // A wide character may start the next row itself; otherwise go back to the
                // last break opportunity.
                if !verbatim, atom.breaksBefore {
                    flush(current)
                    current = []
                } else if !verbatim, let b = breakAt, b > 0, b < current.count {
                    let rest = Array(current[b...])
                    flush(Array(current[..<b]))
                    current = rest
                    while current.first?.isSpace == true { current.removeFirst() }
                } else if !current.isEmpty {
                    flush(current)
                    current = []
                }
                used = current.reduce(0) { $0 + $1.width }
                breakAt = nil
                if used + atom.width > avail, !current.isEmpty {
                    flush(current)
                    current = []; used = 0
                }
            }
            if atom.breaksBefore { breakAt = current.count }
            current.append(atom)
            used += atom.width
            // Breaks go after spaces and before wide characters (CJK has no spaces), never
            // before punctuation that closes a phrase.
            if atom.isSpace { breakAt = current.count }
        }
        if !current.isEmpty || first { flush(current) }
        return rows
    }

    /// The width of the longest run a row may not break (a word; each wide character stands
    /// alone, as rows may break around it).
    private static func longestWord(_ atoms: [Atom]) -> Int {
        var longest = 0, run = 0
        for a in atoms {
            if a.isSpace || a.breaksBefore { run = 0 }
            if !a.isSpace { run += a.width }
            longest = max(longest, run)
        }
        return longest
    }

    private func tableRows(_ table: TableBlock, prefix: [Span], width: Int, line: Int) -> [PageRow] {
        let columns = table.rows.map(\.count).max() ?? 0
        guard columns > 0 else { return [] }
        let prefixWidth = spansWidth(prefix)
        var widths = Array(repeating: 1, count: columns)
        for row in table.rows {
            for (c, cell) in row.enumerated() { widths[c] = max(widths[c], spansWidth(cell)) }
        }
        // Borders and padding: "│ a │ b │" takes 3 per column plus 1.
        let avail = width - prefixWidth - (3 * columns + 1)
        // Too wide, the widest column gives a column at a time; first only down to its
        // longest word, so cells wrap between words while they can.
        var longestWord = Array(repeating: 1, count: columns)
        for row in table.rows {
            for (c, cell) in row.enumerated() { longestWord[c] = max(longestWord[c], Self.longestWord(atoms(cell))) }
        }
        while widths.reduce(0, +) > max(avail, columns) {
            let roomy = widths.indices.filter { widths[$0] > longestWord[$0] }
            let shrinkable = roomy.isEmpty ? widths.indices.filter { widths[$0] > 1 } : roomy
            guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
        }
        func border(_ left: String, _ mid: String, _ right: String) -> PageRow {
            var row = PageRow(line: line)
            let x = append(prefix, to: &row, x: 0)
            let text = left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right
            row.segments.append(.init(x: x, text: text, style: Style(.border), anchor: nil, width: DisplayWidth.of(text)))
            return row
        }
        var out = [border("┌", "┬", "┐")]
        for (r, cells) in table.rows.enumerated() {
            // Each cell wrapped to its column, as prose is to the page; the row is as tall
            // as its tallest cell.
            let wrapped = (0..<columns).map { c -> [[Atom]] in
                var spans = c < cells.count ? cells[c] : []
                if r == 0 { spans = spans.map { var s = $0; s.style.flags.insert(.bold); return s } }
                return breakLines(atoms(spans), first: widths[c], rest: widths[c], verbatim: false)
            }
            for k in 0..<(wrapped.map(\.count).max() ?? 1) {
                var row = PageRow(line: line)
                var x = append(prefix, to: &row, x: 0)
                for c in 0..<columns {
                    row.segments.append(.init(x: x, text: c == 0 ? "│ " : " │ ", style: Style(.border), anchor: nil, width: c == 0 ? 2 : 3))
                    x += c == 0 ? 2 : 3
                    let text = k < wrapped[c].count ? wrapped[c][k] : []
                    let pad = widths[c] - text.reduce(0) { $0 + $1.width }
                    let align = c < table.alignments.count ? table.alignments[c] : .left
                    let lead = align == .right ? pad : align == .center ? pad / 2 : 0
                    x = append(text, to: &row, x: x + lead) + pad - lead
                }
                row.segments.append(.init(x: x, text: " │", style: Style(.border), anchor: nil, width: 2))
                out.append(row)
            }
            if r == 0 && table.rows.count > 1 { out.append(border("├", "┼", "┤")) }
        }
        out.append(border("└", "┴", "┘"))
        return out
    }
}
