// What a session leaves behind for the next one: the note last open, the way back to it,
// and the bookmarks. Kept by the runtime in a state file outside the vault.

/// A vault's remembered session, by vault paths (indices change when the vault does).
public struct Session: Codable, Sendable, Equatable {
    public var last: String?
    public var history: [String]
    public var bookmarks: [String]

    public init(last: String? = nil, history: [String] = [], bookmarks: [String] = []) {
        self.last = last
        self.history = history
        self.bookmarks = bookmarks
    }
}

extension AppState {
    /// How many places of history a session keeps.
    static let keptHistory = 50

    /// The session to save now.
    public var session: Session {
        Session(last: view.map { vault.notes[$0.note].path },
                history: back.suffix(Self.keptHistory).map { vault.notes[$0.note].path },
                bookmarks: bookmarks)
    }

    /// Takes back a saved session: bookmarks and history always, the last note when
    /// `openLast` (no note was asked for on the command line). Paths that no longer exist
    /// are dropped.
    public mutating func restore(_ s: Session, openLast: Bool) {
        let byPath = Dictionary(vault.notes.indices.map { (vault.notes[$0].path, $0) }, uniquingKeysWith: { a, _ in a })
        bookmarks = s.bookmarks.filter { byPath[$0] != nil }
        if openLast, let last = s.last, let n = byPath[last] {
            back = s.history.compactMap { byPath[$0] }.map { Place(note: $0, line: 0, offset: 0) }
            open(n, record: false)
        }
    }

    mutating func toggleBookmark() {
        guard let v = view else { return }
        let path = vault.notes[v.note].path
        if let at = bookmarks.firstIndex(of: path) {
            bookmarks.remove(at: at)
            message = "bookmark removed: \(path)"
        } else {
            bookmarks.append(path)
            message = "bookmarked \(path) (' lists bookmarks)"
        }
    }

    mutating func listBookmarks() {
        let byPath = Dictionary(vault.notes.indices.map { (vault.notes[$0].path, $0) }, uniquingKeysWith: { a, _ in a })
        let notes = bookmarks.compactMap { byPath[$0] }
        guard !notes.isEmpty else { message = "no bookmarks yet: m bookmarks the open note"; return }
        leftMode = .results
        lastSearch = nil
        left = ListState(title: "Bookmarks (\(notes.count))", rows: notes.map { n in
            ListRow([[Span(vault.notes[n].title, .plain), Span("  " + vault.notes[n].folder, Style(.dim))]],
                    .note(n, line: nil, link: nil))
        })
        focus = .left
    }
}
