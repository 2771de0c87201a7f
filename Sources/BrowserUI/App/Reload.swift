// Taking a new snapshot of the vault (after the editor returns, or when files change):
// the open note, history, bookmarks and side panes follow the new snapshot by path, and
// the reader keeps their place in the note.

import VaultKit

extension AppState {
    /// Shows a message from the runtime in the status line until the next key.
    public mutating func say(_ text: String) { message = text }

    /// Swaps in `newVault`. Notes are matched by path; a note that is gone drops out of
    /// history, and if it was open the status line says so and the start note opens.
    public mutating func replace(vault newVault: Vault) {
        let old = vault
        let byPath = Dictionary(newVault.notes.indices.map { (newVault.notes[$0].path, $0) }, uniquingKeysWith: { a, _ in a })
        func map(_ p: Place) -> Place? {
            byPath[old.notes[p.note].path].map { Place(note: $0, line: p.line, offset: p.offset) }
        }
        let here = place.flatMap { p in map(p).map { ($0, old.notes[p.note].path) } }
        let lost = place != nil && here == nil ? place.map { old.notes[$0.note].path } : nil
        back = back.compactMap(map)
        forward = forward.compactMap(map)
        bookmarks = bookmarks.filter { byPath[$0] != nil }
        vault = newVault
        mentionCache = [:]
        mentionsDue = nil
        nameIndex = Deferred { NameIndex(newVault) }
        // The switcher stays open with what was typed, searched again in the new snapshot.
        let typed = switcher.query
        switcher = Switcher()
        switcher.query = typed
        if overlay == .switcher { switcher.pending = .fresh }
        hints = []
        if overlay == .hints { overlay = .none }
        markedRow = nil
        // The selected link, as what it says and which of the links saying that it is.
        var selected: (key: String, nth: Int)?
        if let v = view, let s = v.selected {
            let key = Self.anchorKey(v.document.anchors[s], old)
            selected = (key, v.document.anchors[..<s].filter { Self.anchorKey($0, old) == key }.count)
        }
        if let (p, _) = here {
            restore(p)
            // That link stays selected if the note still has it; else nothing is.
            if let (key, nth) = selected, let v = view {
                let same = v.document.anchors.indices.filter { Self.anchorKey(v.document.anchors[$0], newVault) == key }
                view?.selected = same.indices.contains(nth) ? same[nth] : nil
                if let s = view?.selected { message = describe(v.document.anchors[s]) }
            }
        } else {
            view = nil
            if let s = AppState.startNote(in: newVault) { open(s, record: false) }
            // Back from the start note should not lead to the start note again.
            while let last = back.last, last.note == view?.note { back.removeLast() }
        }
        let (keptFocus, keptRow, keptTop) = (focus, left.selected, left.top)
        switch leftMode {
        case .notes: left = noteList(selecting: view?.note)
        case .tags: left = tagList(selecting: lastTag)
        case .results:
            // A search of the notes' text, or a tag's notes, is made again from the new
            // snapshot, the same row selected; other lists (the web, bookmarks) give way
            // to the note list.
            if let text = lastSearch {
                searchVault(text)
            } else if let tag = lastTag, newVault.tagTree.find(tag) != nil {
                activate(.tag(tag))
            } else {
                leftMode = .notes
                left = noteList(selecting: view?.note)
            }
            if leftMode == .results {
                focus = keptFocus
                if let row = keptRow, left.rows.indices.contains(row) { left.selected = row }
                left.top = min(keptTop, max(0, left.rows.count - 1))
            }
        }
        if focus == .left, leftMode == .notes { focus = .note }
        if let lost { message = "\(lost) no longer exists" }
        relayout()
    }

    /// What an anchor of a note's page points at, as written: the same in two snapshots for
    /// the same link.
    static func anchorKey(_ anchor: AnchorTarget, _ vault: Vault) -> String {
        switch anchor {
        case let .external(url): return "url " + url
        case let .link(ref): return "link " + vault.link(ref).target
        }
    }
}
