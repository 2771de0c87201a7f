// A rendered note before it meets a width: logical lines of styled spans with link anchors.
// `Document.layout(width:)` wraps them into rows by display width.

import VaultKit

/// What following an anchor does.
public enum AnchorTarget: Sendable, Equatable {
    /// A link of the graph: `notes[ref.note].links[ref.link]`.
    case link(LinkRef)
    /// A URL outside the vault.
    case external(String)
}

/// A run of text in one style, maybe part of an anchor (an index into `Document.anchors`).
public struct Span: Sendable, Equatable {
    public var text: String
    public var style: Style
    public var anchor: Int?

    public init(_ text: String, _ style: Style, anchor: Int? = nil) {
        self.text = text
        self.style = style
        self.anchor = anchor
    }
}

/// A table: rows of cells, each cell a list of spans; row 0 is the header.
public struct TableBlock: Sendable, Equatable {
    public enum Alignment: Sendable { case left, center, right }
    public var rows: [[[Span]]]
    public var alignments: [Alignment]
}

public struct DocLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Wrapped at spaces (and between wide characters).
        case prose
        /// Wrapped at any character (code keeps every character).
        case verbatim
        /// A horizontal rule across the width.
        case rule
        case table(TableBlock)
    }
    public var kind: Kind
    /// Drawn before the first row and before each continuation row.
    public var prefix: [Span]
    public var continuation: [Span]
    public var spans: [Span]
    /// One-based line of the note file where this block starts (0 for the header).
    public var sourceLine: Int

    public init(_ kind: Kind = .prose, prefix: [Span] = [], continuation: [Span]? = nil, spans: [Span], sourceLine: Int) {
        self.kind = kind
        self.prefix = prefix
        self.continuation = continuation ?? prefix
        self.spans = spans
        self.sourceLine = sourceLine
    }

    static func blank(_ prefix: [Span] = [], _ line: Int) -> DocLine {
        DocLine(prefix: prefix, spans: [], sourceLine: line)
    }
}

public struct Document: Sendable, Equatable {
    public var lines: [DocLine] = []
    public var anchors: [AnchorTarget] = []

    public init() {}

    /// Index of the first logical line at or after a source line (for heading and block jumps).
    /// A line inside a block (a paragraph spanning several source lines) maps to the block.
    public func lineIndex(forSource line: Int) -> Int? {
        guard let next = lines.firstIndex(where: { $0.sourceLine >= line }) else { return lines.indices.last }
        if lines[next].sourceLine == line || next == 0 { return next }
        let previous = lines[next - 1].sourceLine
        return lines.firstIndex { $0.sourceLine == previous } ?? next - 1
    }
}

/// One screen row of a laid-out document.
public struct PageRow: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var x: Int
        public var text: String
        public var style: Style
        public var anchor: Int?
        public var width: Int
    }
    public var segments: [Segment] = []
    /// The logical line this row belongs to.
    public var line: Int

    /// The row's text, for search and tests.
    public var text: String {
        var out = ""
        var col = 0
        for s in segments {
            if s.x > col { out += String(repeating: " ", count: s.x - col) }
            out += s.text
            col = s.x + s.width
        }
        return out
    }
}

/// A document wrapped to a width.
public struct Page: Sendable, Equatable {
    public var rows: [PageRow] = []
    public var width: Int
    /// For each anchor, the rows it appears on (first row first).
    public var anchorRows: [Int: [Int]] = [:]

    /// First row of logical line `line`.
    public func row(ofLine line: Int) -> Int? {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid].line < line { lo = mid + 1 } else { hi = mid }
        }
        return lo < rows.count ? lo : nil
    }
}
