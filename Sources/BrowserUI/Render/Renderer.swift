// Note → Document. Block and inline structure come from libcmark-gfm (CommonMark plus
// tables, strikethrough, task lists, autolinks and footnotes). What CommonMark does not know
// (wikilinks, embeds, tags, `%% comments %%`, block ids, `==highlights==`) is taken from the
// graph's own parser: before cmark sees the body, each link the graph holds is replaced by a
// private-use placeholder naming its index, so the links shown are exactly the graph's links.

import CCmarkGFM
import VaultKit

private let open: Character = "\u{E000}"
private let close: Character = "\u{E001}"
private let markOn: Character = "\u{E002}"
private let markOff: Character = "\u{E003}"

private let registerExtensions: Void = { cmark_gfm_core_extensions_ensure_registered() }()

public struct RenderOptions: Sendable {
    /// How deep note embeds nest before they become a plain link.
    public var embedDepth = 2
    /// Show the title and properties header.
    public var header = true
    public init() {}
}

public struct Renderer {
    public let vault: Vault
    public var options: RenderOptions

    public init(vault: Vault, options: RenderOptions = RenderOptions()) {
        self.vault = vault
        self.options = options
    }

    /// Renders note `index` of the vault.
    public func render(note index: Int) -> Document {
        var doc = Document()
        var state = State(renderer: self, note: index, chain: [index])
        if options.header {
            state.header(&doc)
            state.headerLines = doc.lines.count
        }
        state.body(&doc, prefix: [], lineRange: nil)
        while doc.lines.last?.spans.isEmpty == true, doc.lines.last?.kind == .prose { doc.lines.removeLast() }
        return doc
    }

    /// The style of a link by its state.
    public static func style(of link: Link) -> Style {
        if link.aliasOf != nil { return Style(.linkAlias) }
        switch link.destination {
        case .ghost: return Style(.linkUnresolved)
        case .attachment: return Style(link.isEmbed ? .embed : .link)
        case .note: return Style(link.subpathFound ? .link : .linkUnresolved)
        }
    }

    /// The text a link shows: its display text, else its target (`note › heading`).
    public static func label(of link: Link) -> String {
        if let d = link.display, !d.isEmpty { return d }
        var parts = link.path.isEmpty ? [] : [link.path]
        parts += link.subpath
        return parts.joined(separator: " › ")
    }
}

/// Rendering one note (and, recursively, the notes it embeds).
private struct State {
    let renderer: Renderer
    let note: Int
    /// Notes being rendered, outermost first: an embed of one of them is not expanded again.
    let chain: [Int]
    var vault: Vault { renderer.vault }
    var highlight = false
    var marks = SourceMarks()
    var bytes: [UInt8] = []
    var bodyLine = 1
    var listDepth = 0
    /// Nesting of the cmark nodes being rendered.
    var depth = 0
    var footnotes = 0
    /// Lines the header took (a repeated title heading right after it is skipped).
    var headerLines = -1

    init(renderer: Renderer, note: Int, chain: [Int]) {
        self.renderer = renderer
        self.note = note
        self.chain = chain
    }

    // MARK: Header

    mutating func header(_ doc: inout Document) {
        let n = vault.notes[note]
        doc.lines.append(DocLine(spans: [Span(n.title, Style(.title, .bold))], sourceLine: 0))
        let links = n.links.enumerated().filter { $0.element.kind == .frontmatter }
        var rows: [(String, [Span])] = []
        for p in n.properties where p.key.folded != "title" {
            var spans: [Span] = []
            let own = links.filter { $0.element.property == p.key }
            if !own.isEmpty {
                for (k, (i, link)) in own.enumerated() {
                    if k > 0 { spans.append(Span(", ", Style(.propertyValue))) }
                    spans.append(anchorSpan(doc: &doc, note: note, index: i, link: link))
                }
            } else if ["tags", "tag"].contains(p.key.folded) {
                let tags = n.tagOccurrences.filter(\.inFrontmatter).map { "#" + $0.name }
                spans = [Span(tags.joined(separator: " "), Style(.tag))]
            } else {
                spans = [Span(Self.text(of: p.value), Style(.propertyValue))]
            }
            rows.append((p.key, spans))
        }
        guard !rows.isEmpty || n.frontmatterError != nil else {
            doc.lines.append(.blank([], 0))
            return
        }
        let keyWidth = min(14, rows.map { DisplayWidth.of($0.0) }.max() ?? 0)
        for (key, spans) in rows {
            let padded = key + String(repeating: " ", count: max(0, keyWidth - DisplayWidth.of(key))) + "  "
            doc.lines.append(DocLine(prefix: [Span(padded, Style(.propertyKey))],
                                     continuation: [Span(String(repeating: " ", count: DisplayWidth.of(padded)), Style(.plain))],
                                     spans: spans, sourceLine: 0))
        }
        if let error = n.frontmatterError {
            doc.lines.append(DocLine(spans: [Span("invalid frontmatter: \(error.message)", Style(.error))], sourceLine: 0))
        }
        doc.lines.append(DocLine(.rule, spans: [], sourceLine: 0))
        doc.lines.append(.blank([], 0))
    }

    static func text(of value: PropertyValue) -> String {
        switch value {
        case .null: return ""
        case let .scalar(text, _): return text
        case let .list(items): return items.map(text(of:)).joined(separator: ", ")
        case let .map(pairs): return pairs.map { "\($0.key): \(text(of: $0.value))" }.joined(separator: ", ")
        }
    }

    // MARK: Body

    /// Renders the body (or the source lines `lineRange`, for a heading or block embed).
    mutating func body(_ doc: inout Document, prefix: [Span], lineRange: ClosedRange<Int>?) {
        _ = registerExtensions
        let n = vault.notes[note]
        let (bytes, marks) = n.sourceMarks()
        self.marks = marks
        self.bytes = bytes
        var source = prepare(bytes, marks)
        var firstLine = vault.notes[note].bodyStartLine
        if let r = lineRange {
            // Keep only the wanted lines; the rest of the note is not parsed at all.
            let lines = source.split(separator: 0x0A, omittingEmptySubsequences: false)
            let lo = max(0, r.lowerBound - firstLine), hi = min(lines.count - 1, r.upperBound - firstLine)
            guard lo <= hi else { return }
            source = Array(lines[lo...hi].joined(separator: [0x0A]))
            firstLine = r.lowerBound
        }
        bodyLine = firstLine
        guard let root = Self.parse(source) else { return }
        defer { cmark_node_free(root) }
        blocks(children(root), &doc, first: prefix, rest: prefix, tight: false)
    }

    /// The Markdown document `source` holds (GitHub's extensions on), to be freed by the caller.
    static func parse(_ source: [UInt8]) -> OpaquePointer? {
        let parser = cmark_parser_new(mycel_cmark_options())
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "tasklist", "autolink"] {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        source.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let root = cmark_parser_finish(parser) else { return nil }
        cmark_consolidate_text_nodes(root)
        return root
    }

    /// The body bytes with links, tags and highlight marks turned into placeholders, and
    /// comments and block ids removed (line breaks kept so source lines stay where they were).
    func prepare(_ bytes: [UInt8], _ marks: SourceMarks) -> [UInt8] {
        enum Edit { case link(Int, Int), tag(Int), drop, on, off }
        var edits: [(Range<Int>, Edit)] = []
        for m in marks.links { edits.append((m.range, .link(m.index, m.range.lowerBound))) }
        for (i, t) in marks.tags.enumerated() { edits.append((t, .tag(i))) }
        for c in marks.comments { edits.append((c, .drop)) }
        for b in marks.blockIDs { edits.append((b, .drop)) }
        for h in marks.highlights {
            edits.append((h.lowerBound..<(h.lowerBound + 2), .on))
            edits.append(((h.upperBound - 2)..<h.upperBound, .off))
        }
        edits.sort { $0.0.lowerBound < $1.0.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = marks.bodyStart
        func copy(_ r: Range<Int>) {
            var k = r.lowerBound
            while k < r.upperBound {
                // Private-use placeholders written in the note itself are not ours.
                if bytes[k] == 0xEE, k + 2 < r.upperBound, bytes[k + 1] == 0x80, (0x80...0x83).contains(bytes[k + 2]) {
                    out += [0xEF, 0xBF, 0xBD]
                    k += 3
                    continue
                }
                out.append(bytes[k])
                k += 1
            }
        }
        for (range, edit) in edits where range.lowerBound >= i {
            copy(i..<range.lowerBound)
            switch edit {
            case let .link(index, _): out += Array("\(open)L\(index)\(close)".utf8)
            case let .tag(index): out += Array("\(open)T\(index)\(close)".utf8)
            case .drop: for k in range where bytes[k] == 0x0A { out.append(0x0A) }
            case .on: out += Array(String(markOn).utf8)
            case .off: out += Array(String(markOff).utf8)
            }
            i = range.upperBound
        }
        if i < bytes.count { copy(i..<bytes.count) }
        return out
    }

    // MARK: Blocks

    func children(_ node: OpaquePointer) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var c = cmark_node_first_child(node)
        while let n = c {
            out.append(n)
            c = cmark_node_next(n)
        }
        return out
    }

    func type(_ node: OpaquePointer) -> String {
        // Core node types by their enum value (no C string to copy per node; this library
        // version also names footnote nodes "<unknown>"). Items ask for their name because
        // the task-list extension calls its items "tasklist"; tables and strikethrough are
        // extension types and have only a name.
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT: return "text"
        case CMARK_NODE_PARAGRAPH: return "paragraph"
        case CMARK_NODE_SOFTBREAK: return "softbreak"
        case CMARK_NODE_LINEBREAK: return "linebreak"
        case CMARK_NODE_CODE: return "code"
        case CMARK_NODE_EMPH: return "emph"
        case CMARK_NODE_STRONG: return "strong"
        case CMARK_NODE_LINK: return "link"
        case CMARK_NODE_IMAGE: return "image"
        case CMARK_NODE_HTML_INLINE: return "html_inline"
        case CMARK_NODE_HEADING: return "heading"
        case CMARK_NODE_LIST: return "list"
        case CMARK_NODE_BLOCK_QUOTE: return "block_quote"
        case CMARK_NODE_CODE_BLOCK: return "code_block"
        case CMARK_NODE_HTML_BLOCK: return "html_block"
        case CMARK_NODE_THEMATIC_BREAK: return "thematic_break"
        case CMARK_NODE_DOCUMENT: return "document"
        case CMARK_NODE_FOOTNOTE_REFERENCE: return "footnote_reference"
        case CMARK_NODE_FOOTNOTE_DEFINITION: return "footnote_definition"
        default: return cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
        }
    }

    /// The note's lines `range` (one-based, in the file) as written (`Note.lineTexts`),
    /// without the quote markers (`> `) and the indent before them.
    func sourceLines(_ range: ClosedRange<Int>) -> [String] {
        let texts = vault.notes[note].lineTexts(Set(range))
        return range.compactMap { texts[$0].map { String($0.drop { $0 == " " || $0 == ">" || $0 == "\t" }) } }
    }

    func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    func line(_ node: OpaquePointer) -> Int {
        bodyLine + max(0, Int(cmark_node_get_start_line(node)) - 1)
    }

    mutating func blocks(_ nodes: [OpaquePointer], _ doc: inout Document, first: [Span], rest: [Span], tight: Bool) {
        for (k, node) in nodes.enumerated() {
            let p = k == 0 ? first : rest
            let before = doc.lines.count
            block(node, &doc, first: p, rest: rest)
            let isLast = k == nodes.count - 1
            if !tight && !isLast && doc.lines.count > before { doc.lines.append(.blank(rest, line(node))) }
        }
    }

    mutating func block(_ node: OpaquePointer, _ doc: inout Document, first: [Span], rest: [Span]) {
        let src = line(node)
        // A hostile note can nest quotes or lists thousands deep; past a depth no reader
        // follows, the rest of the branch becomes one plain paragraph (walked without
        // recursion), so the renderer never runs out of stack.
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth {
            paragraph(expand(flatText(node), Style(.plain), &doc), &doc, first: first, rest: rest, line: src)
            return
        }
        switch type(node) {
        case "paragraph":
            if let embed = soleEmbed(node) {
                transclude(embed, &doc, first: first, rest: rest, line: src)
                return
            }
            // Display math (`$$ … $$` on lines of its own) is shown as written, line by line:
            // Markdown would join its lines and take its `\\` for an escape. Only a paragraph
            // whose text starts with `$$` has its source lines looked up.
            let opensMath = cmark_node_first_child(node).map { type($0) == "text" && literal($0).hasPrefix("$$") } ?? false
            let math = opensMath ? sourceLines(src...(bodyLine + max(0, Int(cmark_node_get_end_line(node)) - 1))) : []
            if opensMath, let top = math.first?.trimmingSpaces, let bottom = math.last?.trimmingSpaces, top.hasPrefix("$$"),
               bottom.hasSuffix("$$"), math.count > 1 || top.count >= 4 {
                let bar = Span("▏", Style(.border))
                for (i, l) in math.enumerated() {
                    doc.lines.append(DocLine(.verbatim, prefix: (i == 0 ? first : rest) + [bar],
                                             continuation: rest + [Span("┆", Style(.border))],
                                             spans: [Span(l, Style(.codeBlock))], sourceLine: src + i))
                }
                return
            }
            paragraph(inlines(node, &doc, Style(.plain)), &doc, first: first, rest: rest, line: src)
        case "heading":
            let level = Int(cmark_node_get_heading_level(node))
            // The header already shows the title: a first `# Title` that repeats it is skipped.
            var scratch = Document()
            scratch.anchors = doc.anchors
            if level == 1, chain.count == 1, renderer.options.header, doc.lines.count == headerLines,
               inlines(node, &scratch, .plain).map(\.text).joined().folded == vault.notes[note].title.folded,
               scratch.anchors.count == doc.anchors.count {
                return
            }
            let roles: [Role] = [.heading1, .heading2, .heading3, .heading4]
            let style = Style(roles[min(max(level, 1), 4) - 1], .bold)
            var spans = inlines(node, &doc, style)
            if level == 1 { spans = spans.map { var s = $0; s.style.flags.insert(.underline); return s } }
            paragraph(spans, &doc, first: first, rest: rest, line: src)
        case "block_quote":
            quote(node, &doc, first: first, rest: rest)
        case "list":
            list(node, &doc, first: first, rest: rest)
        case "code_block":
            var text = literal(node)
            if text.hasSuffix("\n") { text.removeLast() }
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            let bar = Span("▏", Style(.border))
            if !info.isEmpty {
                doc.lines.append(DocLine(prefix: first, spans: [Span(info, Style(.dim))], sourceLine: src))
            }
            for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let spans = expand(String(l), Style(.codeBlock), &doc)
                doc.lines.append(DocLine(.verbatim, prefix: (i == 0 && info.isEmpty ? first : rest) + [bar],
                                         continuation: rest + [Span("┆", Style(.border))], spans: spans,
                                         sourceLine: src + i + (info.isEmpty ? 0 : 1)))
            }
        case "html_block":
            let text = literal(node).trimming("\n")
            if text.hasPrefix("<!--") {
                // A comment is hidden; text after its `-->` on the same line (where the graph
                // counts links and tags too) is shown as a paragraph, its inline Markdown
                // (emphasis, code, links) read as in any paragraph: cmark keeps the whole
                // HTML block raw, so that text is parsed on its own.
                let remaining = Self.withoutComments(text).split(separator: "\n").map { String($0).trimmingSpaces }
                    .filter { !$0.isEmpty }.joined(separator: " ")
                if !remaining.isEmpty, let fragment = Self.parse(Array(remaining.utf8)) {
                    defer { cmark_node_free(fragment) }
                    var spans: [Span] = []
                    for block in children(fragment) {
                        if !spans.isEmpty { spans.append(Span(" ", .plain)) }
                        spans += inlines(block, &doc, .plain)
                    }
                    paragraph(spans, &doc, first: first, rest: rest, line: src)
                }
                return
            }
            for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                doc.lines.append(DocLine(.verbatim, prefix: i == 0 ? first : rest, continuation: rest,
                                         spans: expand(String(l), Style(.dim), &doc), sourceLine: src + i))
            }
        case "thematic_break":
            doc.lines.append(DocLine(.rule, prefix: first, spans: [], sourceLine: src))
        case "table":
            table(node, &doc, first: first, line: src)
        case "footnote_definition":
            // cmark-gfm moves definitions to the end, in the order of their first reference,
            // and numbers references the same way.
            footnotes += 1
            let mark = Span("[\(footnotes)] ", Style(.footnote))
            let pad = Span(String(repeating: " ", count: DisplayWidth.of(mark.text)), .plain)
            blocks(children(node), &doc, first: first + [mark], rest: rest + [pad], tight: true)
        default:
            let kids = children(node)
            if !kids.isEmpty { blocks(kids, &doc, first: first, rest: rest, tight: false) }
        }
    }

    mutating func paragraph(_ spans: [Span], _ doc: inout Document, first: [Span], rest: [Span], line: Int) {
        // Hard line breaks arrive as "\n" spans and start a new logical line.
        var current: [Span] = []
        var firstLine = true
        for s in spans {
            if s.text == "\n" {
                doc.lines.append(DocLine(prefix: firstLine ? first : rest, continuation: rest, spans: current, sourceLine: line))
                current = []
                firstLine = false
            } else {
                current.append(s)
            }
        }
        doc.lines.append(DocLine(prefix: firstLine ? first : rest, continuation: rest, spans: current, sourceLine: line))
    }

    mutating func quote(_ node: OpaquePointer, _ doc: inout Document, first: [Span], rest: [Span]) {
        var kids = children(node)
        // A callout: `> [!type] Title` (optionally folded with + or -).
        if let p = kids.first, type(p) == "paragraph", let t = cmark_node_first_child(p), type(t) == "text" {
            let text = literal(t)
            if text.hasPrefix("[!"), let end = text.firstIndex(of: "]") {
                let kind = String(text[text.index(text.startIndex, offsetBy: 2)..<end])
                var title = text[text.index(after: end)...]
                if title.first == "+" || title.first == "-" { title = title.dropFirst() }
                let role: Role = ["warning", "caution", "danger", "error", "bug", "failure", "attention"].contains(kind.lowercased()) ? .calloutWarning : .callout
                let bar = Span("▌ ", Style(role))
                // The rest of the first text node up to a line break is the title.
                let titleText = title.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
                var head: [Span] = [Span(kind.capitalized, Style(role, .bold))]
                let shown = titleText.first.map { $0.trimming(" ") } ?? ""
                // Inline content after the text node on the first line belongs to the title too.
                var titleSpans: [Span] = shown.isEmpty ? [] : expand(shown, Style(role, .bold), &doc)
                var bodySpans: [Span] = []
                if titleText.count > 1 { bodySpans = expand(String(titleText[1]), Style(.plain), &doc) }
                var sibling = cmark_node_next(t)
                var inTitle = titleText.count == 1
                while let s = sibling {
                    if inTitle && (type(s) == "softbreak" || type(s) == "linebreak") { inTitle = false; sibling = cmark_node_next(s); continue }
                    let spans = inline(s, &doc, Style(inTitle ? role : .plain, inTitle ? .bold : []))
                    if inTitle { titleSpans += spans } else { bodySpans += spans }
                    sibling = cmark_node_next(s)
                }
                // `> [!tip] Tip` says its kind once.
                let shownTitle = titleSpans.map(\.text).joined()
                if !titleSpans.isEmpty, shownTitle.trimming(" ").lowercased() != kind.lowercased() {
                    head += [Span(": ", Style(role, .bold))] + titleSpans
                }
                doc.lines.append(DocLine(prefix: first + [bar], continuation: rest + [bar], spans: head, sourceLine: line(node)))
                if !bodySpans.isEmpty {
                    paragraph(bodySpans, &doc, first: rest + [bar], rest: rest + [bar], line: line(p))
                }
                kids.removeFirst()
                // The paragraph the title heads is a block like the others: a blank line
                // parts it from the next one.
                if !bodySpans.isEmpty, !kids.isEmpty { doc.lines.append(.blank(rest + [bar], line(p))) }
                if !kids.isEmpty { blocks(kids, &doc, first: rest + [bar], rest: rest + [bar], tight: false) }
                return
            }
        }
        // Past a depth no reader can follow, deeper quotes are drawn at the same indent
        // (and a hostile note cannot grow the prefixes without bound).
        let bar = Span("│ ", Style(.quote))
        let deep = rest.count > Self.maximumPrefix
        blocks(kids, &doc, first: deep ? first : first + [bar], rest: deep ? rest : rest + [bar], tight: false)
    }

    static let maximumPrefix = 40
    static let maximumDepth = 48

    /// The text of every node under `node`, gathered with cmark's iterator (no recursion).
    func flatText(_ node: OpaquePointer) -> String {
        guard let iter = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iter) }
        var out = ""
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            guard ev == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) else { continue }
            switch type(n) {
            case "text", "code", "html_inline": out += literal(n)
            case "softbreak", "linebreak", "paragraph": if !out.isEmpty && out.last != " " { out += " " }
            default: break
            }
        }
        return out
    }

    mutating func list(_ node: OpaquePointer, _ doc: inout Document, first: [Span], rest: [Span]) {
        let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
        let tight = cmark_node_get_list_tight(node) != 0
        var number = Int(cmark_node_get_list_start(node))
        let depth = listDepth
        listDepth += 1
        defer { listDepth -= 1 }
        let bullets = ["• ", "◦ ", "▪ "]
        for (k, item) in children(node).enumerated() {
            var marker: Span
            if type(item) == "tasklist" {
                let done = cmark_gfm_extensions_get_tasklist_item_checked(item)
                marker = Span(done ? "☑ " : "☐ ", Style(done ? .taskDone : .task))
            } else if let done = takeTaskBox(item) {
                // The task-list extension misses items inside a quote or callout.
                marker = Span(done ? "☑ " : "☐ ", Style(done ? .taskDone : .task))
            } else if ordered {
                marker = Span("\(number). ", Style(.dim))
            } else {
                marker = Span(bullets[depth % bullets.count], Style(.dim))
            }
            number += 1
            let pad = Span(String(repeating: " ", count: DisplayWidth.of(marker.text)), .plain)
            let p = k == 0 ? first : rest
            let deep = rest.count > Self.maximumPrefix
            blocks(children(item), &doc, first: p + [marker], rest: deep ? rest : rest + [pad], tight: tight)
            if !tight, k < children(node).count - 1 { doc.lines.append(.blank(rest, line(item))) }
        }
    }

    /// For a list item (bulleted or numbered) whose text starts with a task box (`[ ] `,
    /// `[x] `) that the task-list extension did not take: whether it is ticked, the box taken off the item's text
    /// (cmark splits `[`, `x` and `]` into text nodes of their own); nil when there is none.
    func takeTaskBox(_ item: OpaquePointer) -> Bool? {
        guard let p = cmark_node_first_child(item), type(p) == "paragraph" else { return nil }
        var nodes: [OpaquePointer] = []
        var text = ""
        var n = cmark_node_first_child(p)
        while let node = n, type(node) == "text", text.count < 4 {
            nodes.append(node)
            text += literal(node)
            n = cmark_node_next(node)
        }
        let box = text.prefix(4)
        guard box == "[ ] " || box == "[x] " || box == "[X] " || (text.count == 3 && ["[ ]", "[x]", "[X]"].contains(text)) else {
            return nil
        }
        var left = min(4, text.count)
        for node in nodes where left > 0 {
            let t = literal(node)
            if t.count <= left {
                left -= t.count
                cmark_node_unlink(node)
                cmark_node_free(node)
            } else {
                _ = cmark_node_set_literal(node, String(t.dropFirst(left)))
                left = 0
            }
        }
        return box.dropFirst().first != " "
    }

    mutating func table(_ node: OpaquePointer, _ doc: inout Document, first: [Span], line: Int) {
        let count = Int(cmark_gfm_extensions_get_table_columns(node))
        var alignments: [TableBlock.Alignment] = Array(repeating: .left, count: count)
        if let a = cmark_gfm_extensions_get_table_alignments(node) {
            for i in 0..<count {
                switch UInt8(a[i]) {
                case UInt8(ascii: "r"): alignments[i] = .right
                case UInt8(ascii: "c"): alignments[i] = .center
                default: break
                }
            }
        }
        var rows: [[[Span]]] = []
        for row in children(node) {
            rows.append(children(row).map { inlines($0, &doc, Style(.plain)) })
        }
        doc.lines.append(DocLine(.table(TableBlock(rows: rows, alignments: alignments)), prefix: first, spans: [], sourceLine: line))
    }

    // MARK: Embeds

    /// The link index when a paragraph is nothing but one note embed.
    func soleEmbed(_ node: OpaquePointer) -> Int? {
        let kids = children(node)
        guard kids.count == 1, type(kids[0]) == "text" else { return nil }
        let text = literal(kids[0]).trimming(" ")
        guard text.first == open, text.last == close, text.dropFirst().first == "L",
              let index = Int(text.dropFirst(2).dropLast()),
              vault.notes[note].links.indices.contains(index) else { return nil }
        let link = vault.notes[note].links[index]
        guard link.isEmbed, case .note = link.destination else { return nil }
        return index
    }

    mutating func transclude(_ index: Int, _ doc: inout Document, first: [Span], rest: [Span], line: Int) {
        let link = vault.notes[note].links[index]
        guard case let .note(target) = link.destination else { return }
        let head = anchorSpan(doc: &doc, note: note, index: index, link: link)
        let bar = Span("┃ ", Style(.embed))
        guard chain.count <= renderer.options.embedDepth, !chain.contains(target) else {
            let why = chain.contains(target) ? "embeds itself" : "embedded too deep"
            doc.lines.append(DocLine(prefix: first, continuation: rest,
                                     spans: [Span("↳ ", Style(.embed)), head, Span("  (\(why))", Style(.dim))], sourceLine: line))
            return
        }
        doc.lines.append(DocLine(prefix: first, continuation: rest + [Span("  ", .plain)],
                                 spans: [Span("↳ ", Style(.embed)), head], sourceLine: line))
        var inner = State(renderer: renderer, note: target, chain: chain + [target])
        let lines = inner.section(for: link)
        var sub = Document()
        sub.anchors = doc.anchors
        inner.body(&sub, prefix: [], lineRange: lines)
        doc.anchors = sub.anchors
        for var l in sub.lines {
            l.prefix = rest + [bar] + l.prefix
            l.continuation = rest + [bar] + l.continuation
            l.sourceLine = line
            doc.lines.append(l)
        }
    }

    /// The source lines a link's subpath names: a heading's section or a block's line.
    func section(for link: Link) -> ClosedRange<Int>? {
        let n = vault.notes[note]
        guard !link.subpath.isEmpty, let start = n.line(ofSubpath: link) else { return nil }
        if link.blockReference != nil { return start...start }
        guard let h = n.headings.firstIndex(where: { $0.line == start }) else { return nil }
        let level = n.headings[h].level
        let end = n.headings[(h + 1)...].first { $0.level <= level }.map { $0.line - 1 } ?? Int.max / 2
        return start...end
    }

    // MARK: Inlines

    mutating func inlines(_ node: OpaquePointer, _ doc: inout Document, _ style: Style) -> [Span] {
        var out: [Span] = []
        for c in children(node) { out += inline(c, &doc, style) }
        return out
    }

    mutating func inline(_ node: OpaquePointer, _ doc: inout Document, _ style: Style) -> [Span] {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { return expand(flatText(node), style, &doc) }
        switch type(node) {
        case "text": return expand(literal(node), style, &doc)
        case "softbreak": return [Span(" ", style)]
        case "linebreak": return [Span("\n", style)]
        case "code": return expand(literal(node), Style(.code, style.flags), &doc)
        case "emph": return inlines(node, &doc, Style(style.role, style.flags.union(.italic)))
        case "strong": return inlines(node, &doc, Style(style.role, style.flags.union(.bold)))
        case "strikethrough": return inlines(node, &doc, Style(style.role, style.flags.union(.strike)))
        case "link":
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            let a = doc.anchors.count
            doc.anchors.append(.external(url))
            var spans = inlines(node, &doc, Style(.linkExternal, style.flags))
            if spans.isEmpty { spans = [Span(url, Style(.linkExternal, style.flags))] }
            return spans.map { var s = $0; if s.anchor == nil { s.anchor = a; s.style.role = .linkExternal }; return s }
        case "image":
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            let a = doc.anchors.count
            doc.anchors.append(.external(url))
            var alt = inlines(node, &doc, style).map(\.text).joined()
            // `![250](url)` and `![caption|100x80](url)` size the image: the size is no caption.
            if let bar = alt.lastIndex(of: "|"), isImageSize(alt[alt.index(after: bar)...]) { alt = String(alt[..<bar]) }
            if isImageSize(alt) { alt = "" }
            let file = url.split(separator: "/").last.map(String.init) ?? url
            return [Span("[image: \(alt.isEmpty ? file : alt)]", Style(.embed), anchor: a)]
        case "html_inline":
            let text = literal(node)
            if text.hasPrefix("<!--") { return [] }
            // `<br>` (`<br/>`, `<BR />`) breaks the line, as in Obsidian.
            if ["<br>", "<br/>"].contains(text.lowercased().filter { $0 != " " }) {
                // The spaces after it would start the next row.
                if let next = cmark_node_next(node), type(next) == "text" {
                    _ = cmark_node_set_literal(next, String(literal(next).drop { $0 == " " }))
                }
                return [Span("\n", style)]
            }
            return [Span(text, Style(.dim))]
        case "footnote_reference":
            return [Span("[\(literal(node))]", Style(.footnote))]
        default:
            return inlines(node, &doc, style)
        }
    }

    /// The text with every `<!-- ... -->` removed (an unclosed one runs to the end).
    static func withoutComments(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Text with placeholders expanded into links, tags and highlight runs.
    mutating func expand(_ text: String, _ style: Style, _ doc: inout Document) -> [Span] {
        // Read as UTF-8: each placeholder is one private-use scalar, three bytes EE 80 8x.
        // (Reading it by `Character` had made every character of a note a grapheme and a
        // string comparison with the placeholders.)
        var out: [Span] = []
        var copy = text
        copy.withUTF8 { b in
            func isMark(_ i: Int, _ last: UInt8) -> Bool { i + 2 < b.count && b[i] == 0xEE && b[i + 1] == 0x80 && b[i + 2] == last }
            func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
            var plainStart = 0, i = 0
            func flush(_ end: Int) {
                guard end > plainStart else { return }
                out.append(Span(string(plainStart..<end), highlight ? Style(.highlight, style.flags) : style))
            }
            while i < b.count {
                guard b[i] == 0xEE else { i += 1; continue }
                if isMark(i, 0x82) || isMark(i, 0x83) {
                    flush(i)
                    highlight = b[i + 2] == 0x82
                    i += 3
                    plainStart = i
                    continue
                }
                if isMark(i, 0x80) {
                    var end = i + 3
                    while end < b.count, !isMark(end, 0x81) { end += 1 }
                    let body = end < b.count ? string((i + 3)..<end) : ""
                    if end < b.count, let kind = body.first, let n = Int(body.dropFirst()) {
                        flush(i)
                        if kind == "L", vault.notes[note].links.indices.contains(n) {
                            var s = anchorSpan(doc: &doc, note: note, index: n, link: vault.notes[note].links[n])
                            s.style.flags.formUnion(style.flags)
                            out.append(s)
                        } else if kind == "T", marks.tags.indices.contains(n) {
                            let r = marks.tags[n]
                            out.append(Span(String(decoding: bytes[r], as: UTF8.self), Style(.tag, style.flags)))
                        }
                        i = end + 3
                        plainStart = i
                        continue
                    }
                }
                i += 1
            }
            flush(b.count)
        }
        return out
    }

    func anchorSpan(doc: inout Document, note: Int, index: Int, link: Link) -> Span {
        let a = doc.anchors.count
        doc.anchors.append(.link(LinkRef(note: note, link: index)))
        var label = Renderer.label(of: link)
        if link.isEmbed {
            if case let .note(t) = link.destination { label = "⧉ " + vault.notes[t].title + (link.subpath.isEmpty ? "" : " › " + link.subpath.joined(separator: " › ")) }
            else {
                // `![[photo.jpg|200]]` gives the image a size, not a caption: the file is named.
                if let d = link.display, isImageSize(d) { label = link.path }
                label = "[" + embedKind(link.path) + ": " + label + "]"
            }
        }
        return Span(label, Renderer.style(of: link), anchor: a)
    }

    /// Whether an embed's text after `|` is a size (`200`, `100x145`), as Obsidian reads it.
    func isImageSize(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= "0" && $0 <= "9" } }
    }

    func embedKind(_ path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "avif": return "image"
        case "pdf": return "pdf"
        case "mp3", "wav", "ogg", "m4a", "flac": return "audio"
        case "mp4", "mov", "mkv", "webm", "ogv": return "video"
        case "canvas": return "canvas"
        default: return "embed"
        }
    }
}

extension StringProtocol {
    func trimming(_ set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
