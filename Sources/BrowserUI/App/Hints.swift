// Hint mode (`f`): every link on screen, in the note and in the backlinks pane, gets a label
// of one or two home-row letters; typing a label follows that link. Labels are drawn beside
// the text they point at (before it when there is room, else after it), never over it.

/// One labelled target on screen.
public struct Hint: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// An anchor of the open note.
        case anchor(Int)
        /// A row of the right-hand pane.
        case row(Int)
    }
    public var label: String
    public var target: Target
    /// Screen position of the text the label points at, and its width.
    public var x: Int
    public var y: Int
    public var width: Int
}

extension AppState {
    static let hintLetters = Array("asdfghjkl")

    /// Labels for `count` targets: single letters while they suffice, else two letters, so
    /// no label is the start of another.
    static func hintLabels(_ count: Int) -> [String] {
        let letters = hintLetters
        if count <= letters.count { return letters.prefix(count).map { String($0) } }
        var out: [String] = []
        outer: for a in letters {
            for b in letters {
                out.append(String([a, b]))
                if out.count == count { break outer }
            }
        }
        return out
    }

    /// Every link visible now, in reading order: the note pane, then the right pane.
    func visibleHintTargets() -> [Hint] {
        var out: [Hint] = []
        let f = frames
        if let c = f.centre, let v = view {
            var seen = Set<Int>()
            for y in 0..<c.height {
                let r = v.top + y
                guard r < v.page.rows.count else { break }
                for s in v.page.rows[r].segments {
                    guard let a = s.anchor, seen.insert(a).inserted, s.x < c.width - 1 else { continue }
                    out.append(Hint(label: "", target: .anchor(a), x: c.x + 1 + s.x, y: c.y + y, width: s.width))
                }
            }
        }
        if let r = f.right {
            var y = r.y + 1
            var i = right.top
            while i < right.rows.count, y < r.y + r.height {
                if right.rows[i].selectable {
                    let w = right.rows[i].lines.first.map { DisplayWidth.of($0.map(\.text).joined()) } ?? 1
                    out.append(Hint(label: "", target: .row(i), x: r.x + 1, y: y, width: min(w, r.width - 1)))
                }
                y += right.rows[i].lines.count
                i += 1
            }
        }
        let labels = Self.hintLabels(out.count)
        for k in out.indices { out[k].label = labels[k] }
        return out
    }

    mutating func startHints() {
        hints = visibleHintTargets()
        hintTyped = ""
        if hints.isEmpty {
            message = "no links on screen"
        } else {
            overlay = .hints
        }
    }

    mutating func hintKey(_ key: Key) {
        guard case let .char(c) = key, Self.hintLetters.contains(c) else {
            overlay = .none
            if key != .escape { message = "hint mode ended: labels use the letters \(String(Self.hintLetters))" }
            return
        }
        hintTyped.append(c)
        let matching = hints.filter { $0.label.hasPrefix(hintTyped) }
        guard let hit = matching.first else {
            overlay = .none
            message = "no link is labelled “\(hintTyped)”"
            return
        }
        guard matching.count == 1, hit.label == hintTyped else { return }
        overlay = .none
        switch hit.target {
        case let .anchor(a):
            if var v = view { v.selected = a; view = v }
            focus = .note
            follow(anchor: a)
        case let .row(i):
            right.selected = i
            activate(right.rows[i].target)
        }
    }
}

extension View {
    /// Labels beside their links; links whose label no longer matches what was typed fade.
    static func hints(_ state: AppState, _ grid: inout Grid) {
        for h in state.hints where h.label.hasPrefix(state.hintTyped) {
            let label = String(h.label.dropFirst(state.hintTyped.count))
            let w = label.count
            // Before the text when there is room (over the space or text before it), else
            // right after it; the linked text itself stays readable.
            let x = h.x - w >= 0 && h.x - w >= paneStart(state, h.x) ? h.x - w : h.x + h.width
            grid.put(label, x: x, y: h.y, style: Style(.hint, .bold))
        }
    }

    /// Left edge of the pane containing column `x`.
    static func paneStart(_ state: AppState, _ x: Int) -> Int {
        let f = state.frames
        for r in [f.left, f.centre, f.right].compactMap({ $0 }) where x >= r.x && x < r.x + r.width { return r.x }
        return 0
    }
}
