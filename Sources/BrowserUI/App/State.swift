// The browser's whole state as a value. `update` (Update.swift) changes it in answer to a
// message; `draw` (View.swift) turns it into a grid. Nothing here knows about terminals.

import VaultKit

/// A row of a side-pane list: one or two lines of spans, and what Enter does on it.
public struct ListRow: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// A heading row: not selectable.
        case none
        /// Open a note, optionally at a one-based source line, selecting a link there.
        case note(Int, line: Int?, link: LinkRef?)
        /// Follow a link of the open note.
        case link(LinkRef)
        /// A node of the tag tree.
        case tag(String)
        /// An unlinked mention of the open note (Enter opens it where it is; `c` links it).
        case mention(Mention)
    }
    public var lines: [[Span]]
    public var target: Target

    public init(_ lines: [[Span]], _ target: Target) {
        self.lines = lines
        self.target = target
    }

    public var selectable: Bool { target != .none }
}

/// A scrollable list with a selection.
public struct ListState: Sendable, Equatable {
    public var title: String = ""
    public var rows: [ListRow] = []
    public var selected: Int?
    /// First visible row.
    public var top = 0

    public init(title: String = "", rows: [ListRow] = []) {
        self.title = title
        self.rows = rows
        selected = rows.firstIndex(where: \.selectable)
    }

    /// Screen lines taken by rows `0..<i`.
    func linesBefore(_ i: Int) -> Int { rows[..<min(i, rows.count)].reduce(0) { $0 + $1.lines.count } }

    mutating func move(_ delta: Int) {
        guard !rows.isEmpty else { return }
        var i = selected ?? (delta > 0 ? -1 : rows.count)
        repeat {
            i += delta > 0 ? 1 : -1
            if i < 0 || i >= rows.count { return }
        } while !rows[i].selectable
        selected = i
    }

    mutating func moveBy(_ count: Int) {
        for _ in 0..<abs(count) { move(count) }
    }

    mutating func select(first: Bool) {
        selected = first ? rows.firstIndex(where: \.selectable) : rows.lastIndex(where: \.selectable)
    }

    /// Scrolls so the selection is inside `height` lines.
    /// Whether row `i` is all in sight, `height` lines from `top`.
    func shows(_ i: Int, height: Int) -> Bool {
        i >= top && i < rows.count && linesBefore(i + 1) - linesBefore(top) <= height
    }

    mutating func reveal(height: Int) {
        guard let s = selected, height > 0, s < rows.count else { return }
        if s < top { top = s; return }
        if linesBefore(s + 1) <= height { top = 0; return }
        // The highest top that still shows all of row s, found walking back from s.
        var used = rows[s].lines.count
        var lowest = s
        while lowest > top, used + rows[lowest - 1].lines.count <= height {
            lowest -= 1
            used += rows[lowest].lines.count
        }
        top = max(top, lowest)
    }
}

/// The open note: its rendering, laid out for the centre pane, and where the reader is.
public struct NoteView: Sendable {
    public let note: Int
    public let document: Document
    public private(set) var page: Page
    /// First visible row of `page`.
    public var top = 0
    /// The selected link, an index into `document.anchors`.
    public var selected: Int?
    /// The place kept across re-layouts: a logical line and the row inside it.
    var anchorLine = 0
    var anchorOffset = 0

    init(note: Int, document: Document, width: Int) {
        self.note = note
        self.document = document
        page = document.layout(width: width)
    }

    /// Lays the note out again for a new width, keeping the first visible line in place.
    mutating func relayout(width: Int) {
        guard width != page.width else { return }
        page = document.layout(width: width)
        let start = page.row(ofLine: anchorLine) ?? 0
        var rowsInLine = 0
        while start + rowsInLine < page.rows.count, page.rows[start + rowsInLine].line == anchorLine { rowsInLine += 1 }
        top = start + min(anchorOffset, max(0, rowsInLine - 1))
    }

    /// Sets the top row (clamped) and remembers the logical place.
    mutating func scroll(to row: Int, height: Int) {
        top = max(0, min(row, page.rows.count - max(1, height)))
        top = max(0, top)
        guard top < page.rows.count else { anchorLine = 0; anchorOffset = 0; return }
        anchorLine = page.rows[top].line
        anchorOffset = top - (page.row(ofLine: anchorLine) ?? top)
    }

    /// Anchors in reading order: (anchor, first row, column).
    var anchorOrder: [(anchor: Int, row: Int, x: Int)] {
        var out: [(Int, Int, Int)] = []
        var seen = Set<Int>()
        for (r, row) in page.rows.enumerated() {
            for s in row.segments {
                guard let a = s.anchor, seen.insert(a).inserted else { continue }
                out.append((a, r, s.x))
            }
        }
        return out
    }
}

/// A place in history.
public struct Place: Sendable, Equatable {
    public var note: Int
    public var line: Int
    public var offset: Int
}

public enum Focus: Sendable, Equatable { case note, left, right }

public enum LeftMode: Sendable, Equatable {
    case notes
    case tags
    /// Notes under a tag, or search results: the list's own rows.
    case results
}

public enum Overlay: Sendable, Equatable {
    case none
    case switcher
    case help
    /// Hint mode: labels on every link on screen.
    case hints
    /// A one-line prompt at the bottom: find in the note, or search the vault.
    case prompt(PromptKind)
    /// A question before mycel writes to the vault: `y` writes, anything else does not.
    case confirm(Write)
}

public enum PromptKind: Sendable, Equatable { case find, search }

/// A write to the vault the user is asked to confirm, and then the runtime carries out.
public enum Write: Sendable, Equatable {
    /// Create a note (vault path) with these contents; never over an existing file.
    case create(path: String, contents: String)
    /// Replace a note's text, provided it still is `old`.
    case rewrite(path: String, old: String, new: String)

    public var question: String {
        switch self {
        case let .create(path, _): return "Create \(path)? y writes it, any other key cancels"
        case let .rewrite(path, _, _): return "Turn the mention into a link in \(path)? y writes it, any other key cancels"
        }
    }
}

public struct Switcher: Sendable {
    /// A search the query needs and has not had yet: `narrowing` when characters were only
    /// added since the last one (the previous matches are enough to search).
    enum Pending: Sendable { case narrowing, fresh }
    var pending: Pending?
    public var query = ""
    public var result: NameSearchResult?
    public var selected = 0
    public var top = 0
}

public struct AppState {
    public internal(set) var vault: Vault
    public let keyMap: KeyMap
    /// The quick switcher's name index. It is built on the other cores while the first
    /// frame is drawn; the first search waits for it.
    var nameIndex: Deferred<NameIndex> {
        didSet { madeSearcher = nil }
    }
    /// The search over `nameIndex` (with scratch memory of its own: used on this thread only).
    private var madeSearcher: NameSearcher?
    var searcher: NameSearcher {
        mutating get {
            if let s = madeSearcher { return s }
            let s = NameSearcher(nameIndex.value)
            madeSearcher = s
            return s
        }
    }

    public internal(set) var width: Int
    public internal(set) var height: Int
    public internal(set) var view: NoteView?
    public internal(set) var back: [Place] = []
    public internal(set) var forward: [Place] = []
    public internal(set) var focus: Focus = .note
    public internal(set) var overlay: Overlay = .none
    public internal(set) var leftMode: LeftMode = .notes
    public internal(set) var left = ListState()
    public internal(set) var right = ListState()
    /// nil follows the width; true or false is the user's choice (`[` and `]`).
    /// Side-pane widths from the configuration (nil: a share of the terminal's width).
    public var leftWidth: Int?
    public var rightWidth: Int?
    public internal(set) var showLeft: Bool?
    public internal(set) var showRight: Bool?
    public internal(set) var expandedTags: Set<String> = []
    public internal(set) var switcher = Switcher()
    public internal(set) var prompt = ""
    public internal(set) var findQuery = ""
    /// The row of the current find match, once `n`, `N` or a search result chose one.
    public internal(set) var findRow: Int?
    /// The tag whose notes were listed last (the tree opens there again).
    public internal(set) var lastTag: String?
    /// The text of the vault search whose results the left pane lists.
    public internal(set) var lastSearch: String?
    public internal(set) var helpTop = 0
    public internal(set) var hints: [Hint] = []
    /// A row of the note marked in the margin (the target of a heading or block link).
    public internal(set) var markedRow: Int?
    public internal(set) var hintTyped = ""
    /// A one-line message in the status bar until the next key.
    public internal(set) var message: String?
    public internal(set) var quitting = false
    /// Unlinked mentions already found, by note, for the current snapshot.
    var mentionCache: [Int: [Mention]] = [:]
    /// The note whose unlinked mentions are to be searched when the runtime is idle.
    var mentionsDue: Int?
    /// Where the mentions are in the side pane's rows.
    var mentionRows = 0..<0
    /// Paths of the bookmarked notes, in the order they were added.
    public internal(set) var bookmarks: [String] = []
    /// Effects produced while handling the current message.
    var pendingEffects: [Effect] = []
    /// Picks a note for `r`: random in use, fixed in tests.
    public var randomIndex: @Sendable (Int) -> Int = { Int.random(in: 0..<$0) }

    public init(vault: Vault, width: Int, height: Int, keyMap: KeyMap = .standard) {
        self.vault = vault
        self.keyMap = keyMap
        self.nameIndex = Deferred { NameIndex(vault) }
        self.width = width
        self.height = height
        left = noteList()
    }

    /// The note a session starts on: a conventional start page, else the most linked note.
    public static func startNote(in vault: Vault) -> Int? {
        guard !vault.notes.isEmpty else { return nil }
        for name in ["start here", "start-here", "index", "home", "readme", "welcome"] {
            let hits = vault.notes.indices.filter { vault.notes[$0].name.folded == name }
            if let best = hits.min(by: { vault.notes[$0].path.count < vault.notes[$1].path.count }) { return best }
        }
        return vault.notes.indices.max { vault.backlinks[$0].count < vault.backlinks[$1].count }
    }
}

/// What the side pane shows of a note's unlinked mentions.
enum MentionState: Sendable {
    case found([Mention])
    /// To be searched once the note is drawn (`AppState.idle`).
    case searching
    /// The vault is over `AppState.mentionLimit` notes.
    case notSearched
}
