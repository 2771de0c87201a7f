// Drawing: the state becomes a grid. Panes, separators, the status line, then overlays.

import VaultKit

public enum View {
    public static func draw(_ state: AppState) -> Grid {
        var grid = Grid(width: state.width, height: state.height)
        let f = state.frames
        if let r = f.left { list(state.left, focused: state.focus == .left, in: r, &grid) }
        if let r = f.centre { note(state, in: r, &grid) }
        if let r = f.right { list(state.right, focused: state.focus == .right, in: r, &grid) }
        // Separators between panes.
        for r in [f.left, f.centre].compactMap({ $0 }) where r.x + r.width < state.width {
            let x = r.x + r.width
            if f.centre == nil && r == f.left { continue }
            for y in r.y..<(r.y + r.height) { grid.put("│", x: x, y: y, style: Style(.border)) }
        }
        status(state, in: f.status, &grid)
        switch state.overlay {
        case .none: break
        case .help: help(state, &grid)
        case .switcher: switcher(state, &grid)
        case .hints: hints(state, &grid)
        case let .prompt(kind): prompt(state, kind, in: f.status, &grid)
        case let .confirm(w):
            grid.fill(x: 0, y: f.status.y, width: state.width, height: f.status.height, style: Style(.message))
            grid.put(" " + Sanitize.line(w.question), x: 0, y: f.status.y, style: Style(.message, .bold))
        }
        return grid
    }

    // MARK: The note

    static func note(_ state: AppState, in r: Rect, _ grid: inout Grid) {
        guard let v = state.view else {
            grid.put(state.vault.notes.isEmpty ? "This vault has no notes." : "No note open: o finds one.",
                     x: r.x + 1, y: r.y, style: Style(.dim), maxX: r.x + r.width)
            return
        }
        let hits = state.findHits(in: v.top..<(v.top + r.height))
        for y in 0..<r.height {
            let rowIndex = v.top + y
            guard rowIndex < v.page.rows.count else { break }
            let row = v.page.rows[rowIndex]
            for s in row.segments {
                var style = s.style
                if let a = s.anchor, a == v.selected { style.flags.insert(.reverse) }
                grid.put(s.text, x: r.x + 1 + s.x, y: r.y + y, style: style, maxX: r.x + r.width)
            }
            if rowIndex == state.markedRow { grid.put("▶", x: r.x, y: r.y + y, style: Style(.hint)) }
            for h in hits where h.row == rowIndex {
                grid.restyle(x: r.x + 1 + h.x, y: r.y + y, width: min(h.width, r.width - 1 - h.x)) { $0.role = .match }
            }
        }
    }

    // MARK: Lists

    static func list(_ list: ListState, focused: Bool, in r: Rect, _ grid: inout Grid) {
        guard r.height > 0 else { return }
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, style: Style(focused ? .paneTitleFocused : .paneTitle))
        grid.put(" " + list.title, x: r.x, y: r.y, style: Style(focused ? .paneTitleFocused : .paneTitle, .bold), maxX: r.x + r.width,
                 ellipsis: true)
        var y = r.y + 1
        var i = list.top
        while i < list.rows.count, y < r.y + r.height {
            let row = list.rows[i]
            let selected = focused && list.selected == i
            for line in row.lines {
                guard y < r.y + r.height else { break }
                if selected { grid.fill(x: r.x, y: y, width: r.width, height: 1, style: Style(.selection)) }
                var x = r.x + 1
                for s in line {
                    var style = s.style
                    // The whole selected row takes the selection role (reverse video in
                    // monochrome), keeping only emphasis of its own.
                    if selected { style = Style(.selection, style.flags.subtracting(.reverse)) }
                    x = grid.put(Sanitize.line(s.text), x: x, y: y, style: style, maxX: r.x + r.width, ellipsis: true)
                }
                y += 1
            }
            i += 1
        }
    }

    // MARK: Status line

    static func status(_ state: AppState, in r: Rect, _ grid: inout Grid) {
        guard r.height > 0 else { return }
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, style: Style(.status))
        var right = ""
        if let v = state.view {
            let rows = v.page.rows.count
            let h = state.noteHeight
            let percent = rows <= h ? 100 : min(100, (v.top + h) * 100 / max(1, rows))
            right = "\(min(rows, v.top + 1))/\(rows) \(percent)%  ◀\(state.back.count) ▶\(state.forward.count)  ? help"
        } else {
            right = "? help"
        }
        let left: String
        let style: Style
        if let m = state.message {
            left = " " + m
            style = Style(.message)
        } else if let v = state.view {
            left = " " + state.vault.notes[v.note].path
            style = Style(.status)
        } else {
            left = " " + state.vault.root
            style = Style(.status)
        }
        // A message takes the whole line when it needs it; a path gives way to the position
        // down to 12 columns, ending in `…`.
        let rightWidth = DisplayWidth.of(right)
        let fits = (state.message == nil ? min(12, DisplayWidth.of(left)) : DisplayWidth.of(left)) + rightWidth + 2 <= r.width
        grid.put(Sanitize.line(left), x: r.x, y: r.y, style: style, maxX: fits ? r.x + r.width - rightWidth - 2 : r.x + r.width,
                 ellipsis: true)
        if fits { grid.put(right, x: r.x + r.width - rightWidth - 1, y: r.y, style: Style(.statusKey)) }
    }

    static func prompt(_ state: AppState, _ kind: PromptKind, in r: Rect, _ grid: inout Grid) {
        guard r.height > 0 else { return }
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, style: Style(.overlay))
        let label = kind == .find ? "/" : "search vault: "
        // The end of a long query stays visible, and the cursor after it.
        let text = tail(Sanitize.line(state.prompt), width: r.width - DisplayWidth.of(label) - 1)
        let x = grid.put(label, x: r.x, y: r.y, style: Style(.overlay, .bold))
        let end = grid.put(text, x: x, y: r.y, style: Style(.overlay))
        grid.put("▏", x: end, y: r.y, style: Style(.overlay))
    }

    /// The end of `text` that fits in `width` columns (all of it when it fits), so that what
    /// is being typed stays in view.
    static func tail(_ text: String, width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var used = 0
        var start = text.endIndex
        while start > text.startIndex {
            let before = text.index(before: start)
            let w = DisplayWidth.of(text[before])
            guard used + w <= width else { break }
            used += w
            start = before
        }
        return String(text[start...])
    }

    // MARK: Overlays

    static func box(_ grid: inout Grid, _ r: Rect, title: String) {
        grid.fill(x: r.x, y: r.y, width: r.width, height: r.height, style: Style(.overlay))
        guard r.width >= 2, r.height >= 2 else { return }
        let inner = max(0, r.width - 2)
        grid.put("┌" + String(repeating: "─", count: inner) + "┐", x: r.x, y: r.y, style: Style(.border))
        for y in (r.y + 1)..<(r.y + r.height - 1) {
            grid.put("│", x: r.x, y: y, style: Style(.border))
            grid.put("│", x: r.x + r.width - 1, y: y, style: Style(.border))
        }
        grid.put("└" + String(repeating: "─", count: inner) + "┘", x: r.x, y: r.y + r.height - 1, style: Style(.border))
        grid.put(" " + title + " ", x: r.x + 2, y: r.y, style: Style(.paneTitleFocused, .bold), maxX: r.x + r.width - 1,
                 ellipsis: true)
    }

    static func overlayRect(_ state: AppState, width: Int, height: Int) -> Rect {
        let w = min(width, state.width), h = min(height, max(1, state.height - 1))
        return Rect(x: (state.width - w) / 2, y: max(0, (state.height - 1 - h) / 2), width: w, height: h)
    }

    /// The help box's width: room for the longest keys and description, as the terminal
    /// allows (what is still too long then ends in `…`).
    static func helpWidth(_ state: AppState) -> Int {
        let bindings = state.keyMap.bindings
        let keys = min(22, bindings.map { DisplayWidth.of($0.keys.map(\.label).joined(separator: " ")) }.max() ?? 0)
        let text = bindings.map { DisplayWidth.of($0.help + helpContext($0)) }.max() ?? 0
        return max(64, keys + text + 7)
    }

    private static func helpContext(_ b: Binding) -> String {
        b.context == .list ? "  (lists)" : b.context == .note ? "  (note)" : ""
    }

    static func help(_ state: AppState, _ grid: inout Grid) {
        let bindings = state.keyMap.bindings
        let r = overlayRect(state, width: helpWidth(state), height: bindings.count + 2)
        box(&grid, r, title: "Keys (Esc closes)")
        // Say when keys are above or below the box.
        if state.helpTop > 0 { grid.put(" ↑ more ", x: r.x + r.width - 10, y: r.y, style: Style(.border), maxX: r.x + r.width - 1) }
        if state.helpTop + helpRows(state) < bindings.count {
            grid.put(" ↓ more (j, PgDn, G) ", x: r.x + 2, y: r.y + r.height - 1, style: Style(.border), maxX: r.x + r.width - 1)
        }
        // Keys take at most a third of a narrow box, so the descriptions still show.
        let keyWidth = min(22, max(6, (r.width - 6) / 3), bindings.map { DisplayWidth.of($0.keys.map(\.label).joined(separator: " ")) }.max() ?? 0)
        var y = r.y + 1
        for b in bindings.dropFirst(state.helpTop) {
            guard y < r.y + r.height - 1 else { break }
            let keys = b.keys.map(\.label).joined(separator: " ")
            grid.put(keys, x: r.x + 2, y: y, style: Style(.statusKey, .bold), maxX: r.x + 2 + keyWidth, ellipsis: true)
            grid.put(b.help + helpContext(b), x: r.x + 4 + keyWidth, y: y, style: Style(.overlay), maxX: r.x + r.width - 1,
                     ellipsis: true)
            y += 1
        }
    }

    /// Row (from the top of the switcher box) of the first result.
    static func resultsOffset(_ r: Rect) -> Int { r.height >= 6 ? 3 : 2 }

    /// Key rows the help box has room for.
    static func helpRows(_ state: AppState) -> Int {
        max(1, overlayRect(state, width: helpWidth(state), height: state.keyMap.bindings.count + 2).height - 2)
    }

    static func switcherBox(_ state: AppState) -> Rect? {
        guard state.overlay == .switcher else { return nil }
        return overlayRect(state, width: 80, height: state.switcherRows + 4)
    }

    static func switcher(_ state: AppState, _ grid: inout Grid) {
        guard let r = switcherBox(state) else { return }
        let s = state.switcher
        let total = s.result?.total ?? 0
        box(&grid, r, title: "Open note: \(total) match\(total == 1 ? "" : "es")")
        let maxX = r.x + r.width - 1
        // The query line.
        var x = grid.put("> ", x: r.x + 2, y: r.y + 1, style: Style(.overlay, .bold), maxX: maxX)
        // The end of a long query stays in view, the cursor after it.
        x = grid.put(tail(Sanitize.line(s.query), width: maxX - x - 1), x: x, y: r.y + 1, style: Style(.overlay), maxX: maxX)
        grid.put("▏", x: x, y: r.y + 1, style: Style(.overlay), maxX: maxX)
        // A short box (a tiny terminal) drops the rule under the query to keep a result row.
        if resultsOffset(r) == 3 {
            grid.put(String(repeating: "─", count: max(0, r.width - 2)), x: r.x + 1, y: r.y + 2, style: Style(.border))
        }
        guard let result = s.result else { return }
        let first = r.y + resultsOffset(r)
        if result.matches.isEmpty {
            let capital = s.query.contains { $0.isUppercase }
            grid.put(capital ? "no note matches (a capital letter makes the search match case)" : "no note matches",
                     x: r.x + 2, y: first, style: Style(.dim), maxX: maxX, ellipsis: true)
            if let path = state.switcherNewNote, first + 1 < r.y + r.height - 1 {
                grid.put("Enter creates “\(Sanitize.line(path))”", x: r.x + 2, y: first + 1, style: Style(.hint), maxX: maxX,
                         ellipsis: true)
            }
        }
        var y = first
        for i in s.top..<result.matches.count {
            guard y < r.y + r.height - 1 else { break }
            let m = result.matches[i]
            let selected = i == s.selected
            let base = selected ? Style(.selection) : Style(.overlay)
            if selected { grid.fill(x: r.x + 1, y: y, width: r.width - 2, height: 1, style: base) }
            let note = state.vault.notes[m.note]
            var x = r.x + 2
            if m.field == .title {
                x = highlighted(note.title, m.positions, x: x, y: y, base: base, &grid, maxX: maxX)
            } else {
                let label: String
                switch m.field {
                case .alias: label = "  ← alias “"
                case .name: label = "  ← file name “"
                case .path: label = "  ← path “"
                case .title: label = ""
                }
                // A long title gives way (down to a few columns) to what matched, which
                // says why the note is here.
                let title = Sanitize.line(note.title)
                let why = DisplayWidth.of(label) + DisplayWidth.of(Sanitize.line(m.text)) + 1
                let titleEnd = max(x + min(DisplayWidth.of(title), 12), maxX - why)
                x = grid.put(title, x: x, y: y, style: base, maxX: min(maxX, titleEnd), ellipsis: true)
                x = grid.put(label, x: x, y: y, style: Style(selected ? .selection : .dim), maxX: maxX, ellipsis: true)
                x = highlighted(m.text, m.positions, x: x, y: y, base: base, &grid, maxX: maxX)
                x = grid.put("”", x: x, y: y, style: Style(selected ? .selection : .dim), maxX: maxX)
            }
            if m.field != .path && x + 2 < maxX {
                let path = "  " + note.path
                if x + DisplayWidth.of(path) <= maxX {
                    grid.put(path, x: maxX - DisplayWidth.of(path) - 1, y: y, style: Style(selected ? .selection : .dim), maxX: maxX)
                }
            }
            y += 1
        }
    }

    /// Draws text with the scalars at `positions` in the match style, ending in `…` when it
    /// does not fit before `maxX`.
    @discardableResult
    static func highlighted(_ text: String, _ positions: [Int], x: Int, y: Int, base: Style, _ grid: inout Grid, maxX: Int) -> Int {
        let marked = Set(positions)
        let cut = x < maxX && !Grid.fits(text, from: x, before: maxX)
        let end = cut ? maxX - 1 : maxX
        var x = x
        var scalarIndex = 0
        for ch in text {
            let visible = Sanitize.visible(ch)
            if cut, x + DisplayWidth.of(visible) > end { break }
            let isMatch = (scalarIndex..<(scalarIndex + ch.unicodeScalars.count)).contains { marked.contains($0) }
            var style = base
            if isMatch { style.role = .match; style.flags.insert(.bold) }
            x = grid.put(String(visible), x: x, y: y, style: style, maxX: end)
            scalarIndex += ch.unicodeScalars.count
        }
        if cut { x = grid.put("…", x: x, y: y, style: base, maxX: maxX) }
        return x
    }
}
