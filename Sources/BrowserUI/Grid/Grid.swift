// The screen as data: a grid of cells, each a grapheme with its display width and a semantic
// style. Widgets draw into a grid; the terminal backend paints it; tests read it as text.

/// What a piece of text is, not how it looks: the backend's theme turns roles into colours.
public enum Role: UInt8, Sendable, CaseIterable {
    case plain, dim, title, heading1, heading2, heading3, heading4
    case code, codeBlock, quote, highlight, tag, rule
    case link, linkUnresolved, linkAlias, linkExternal, embed
    case propertyKey, propertyValue, callout, calloutWarning, task, taskDone, footnote
    case border, paneTitle, paneTitleFocused, selection, match, status, statusKey, message, error
    case hint, overlay
}

/// A role plus text attributes that stack with it (emphasis inside a link, a selected link).
public struct Style: Sendable, Hashable {
    public var role: Role
    public var flags: Flags

    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Flags(rawValue: 1)
        public static let italic = Flags(rawValue: 2)
        public static let underline = Flags(rawValue: 4)
        public static let strike = Flags(rawValue: 8)
        public static let reverse = Flags(rawValue: 16)
    }

    public init(_ role: Role, _ flags: Flags = []) {
        self.role = role
        self.flags = flags
    }

    public static let plain = Style(.plain)
}

public struct Cell: Sendable, Equatable {
    /// One grapheme; "" for the right half of a wide character.
    public var text: String
    /// 1 or 2 for the cell that starts a grapheme, 0 for the right half of a wide one.
    public var width: UInt8
    public var style: Style

    public static let blank = Cell(text: " ", width: 1, style: .plain)
}

public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` at (x, y), clipped to `maxX` (exclusive, default the grid's width).
    /// Returns the column after the last cell written. A wide grapheme that would straddle
    /// the clip edge is replaced by a space. Control characters never reach a cell. With
    /// `ellipsis`, text that does not fit ends in `…` in the last column it may take, so a
    /// title cut short says so.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style, maxX: Int? = nil,
                             ellipsis: Bool = false) -> Int {
        let limit = min(maxX ?? width, width)
        guard y >= 0, y < height else { return x }
        let cut = ellipsis && x < limit && !Self.fits(text, from: x, before: limit)
        let end = cut ? limit - 1 : limit
        var col = x
        for ch in text {
            guard col < end else { break }
            let safe = Sanitize.visible(ch)
            let w = DisplayWidth.of(safe)
            if w == 0 { continue }
            if col < 0 { col += w; continue }
            if col + w > end {
                // A wide grapheme across the edge: a space in its place, or the `…` below.
                if !cut {
                    set(col, y, Cell(text: " ", width: 1, style: style))
                    col += 1
                }
                break
            }
            set(col, y, Cell(text: String(safe), width: UInt8(w), style: style))
            if w == 2 { set(col + 1, y, Cell(text: "", width: 0, style: style)) }
            col += w
        }
        if cut, col >= 0, col < limit {
            set(col, y, Cell(text: "…", width: 1, style: style))
            col += 1
        }
        return col
    }

    /// Whether `text` drawn from column `x` ends before column `limit`.
    static func fits(_ text: some StringProtocol, from x: Int, before limit: Int) -> Bool {
        var col = x
        for ch in text {
            col += DisplayWidth.of(Sanitize.visible(ch))
            if col > limit { return false }
        }
        return true
    }

    /// Fills a rectangle with spaces of one style.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style) {
        guard w > 0, h > 0, x < width, y < height else { return }
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) {
                set(col, row, Cell(text: " ", width: 1, style: style))
            }
        }
    }

    /// Changes the style of cells already drawn (selection, search matches).
    public mutating func restyle(x: Int, y: Int, width w: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < height, w > 0, x < width, x + w > 0 else { return }
        for col in max(0, x)..<min(width, x + w) { change(&cells[y * width + col].style) }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let i = y * width + x
        // Overwriting half of a wide character blanks its other half.
        if cells[i].width == 0, x > 0, cells[i - 1].width == 2 { cells[i - 1] = Cell(text: " ", width: 1, style: cells[i - 1].style) }
        if cells[i].width == 2, x + 1 < width, cell.width != 2 { cells[i + 1] = Cell(text: " ", width: 1, style: cells[i + 1].style) }
        cells[i] = cell
    }

    /// The grid as lines of text (right halves of wide characters skipped, trailing spaces
    /// kept so columns line up in snapshots).
    public var text: String {
        var out = ""
        for y in 0..<height {
            for x in 0..<width where cells[y * width + x].width > 0 {
                out += cells[y * width + x].text
            }
            out += "\n"
        }
        return out
    }

    /// One row as text, trailing spaces removed.
    public func row(_ y: Int) -> String {
        var out = ""
        for x in 0..<width where cells[y * width + x].width > 0 { out += cells[y * width + x].text }
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }
}

/// Keeps terminal control out of the grid: C0 and C1 controls, DEL, and bidirectional
/// overrides become visible replacement symbols.
public enum Sanitize {
    public static func visible(_ ch: Character) -> Character {
        for s in ch.unicodeScalars where s.isTerminalControl { return Character(s.visibleStandIn) }
        return ch
    }

    /// A whole string made safe for one line of the screen (tabs become spaces).
    public static func line(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            if ch == "\t" { out += "    "; continue }
            out.append(visible(ch))
        }
        return out
    }
}
