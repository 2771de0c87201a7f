// The update function: a message in, the state changed, effects out for the runtime.

import VaultKit

public enum Message: Sendable, Equatable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}

public enum Effect: Sendable, Equatable {
    case quit
    /// Put text on the clipboard (the terminal's, through OSC 52).
    case copy(String)
    /// Hand the terminal to the user's editor on this file (a vault path), then reload.
    case edit(String)
    /// Write to the vault as confirmed, then reload.
    case write(Write)
}

extension AppState {
    // MARK: Geometry

    var frames: Frames { Layout.frames(for: self) }
    /// Rows of the note pane.
    var noteHeight: Int { frames.centre?.height ?? max(1, height - 1) }
    /// Lines available to a side-pane list (under its title row).
    func listHeight(_ focus: Focus) -> Int {
        let r = focus == .left ? frames.left : frames.right
        return max(1, (r?.height ?? height - 1) - 1)
    }

    /// Keeps the open note laid out for the current centre width.
    mutating func relayout() {
        let width = frames.centre.map(Layout.textWidth) ?? max(1, self.width - 2)
        view?.relayout(width: width)
        if var v = view {
            v.scroll(to: v.top, height: noteHeight)
            // `scroll` remembers the place; keep the one found by relayout.
            view = v
        }
        left.reveal(height: listHeight(.left))
        right.reveal(height: listHeight(.right))
    }

    // MARK: Opening notes

    var place: Place? {
        view.map { Place(note: $0.note, line: $0.anchorLine, offset: $0.anchorOffset) }
    }

    /// Opens note `index`. `line` is a one-based source line to show at the top; `link`
    /// a link of that note to select.
    public mutating func open(_ index: Int, line: Int? = nil, select link: LinkRef? = nil, record: Bool = true) {
        guard vault.notes.indices.contains(index) else { return }
        if record, let p = place, p.note != index {
            back.append(p)
            forward.removeAll()
        }
        let width = frames.centre.map(Layout.textWidth) ?? max(1, self.width - 2)
        var v = NoteView(note: index, document: Renderer(vault: vault).render(note: index), width: width)
        if let line, let l = v.document.lineIndex(forSource: line), let row = v.page.row(ofLine: l) {
            v.scroll(to: row, height: noteHeight)
        }
        if let link, let a = v.document.anchors.firstIndex(of: .link(link)) {
            v.selected = a
            if let row = v.page.anchorRows[a]?.first, row >= v.top + noteHeight || row < v.top {
                v.scroll(to: row - noteHeight / 3, height: noteHeight)
            }
        }
        view = v
        findQuery = ""
        findRow = nil
        refreshSidePanel(index)
    }

    mutating func restore(_ p: Place) {
        let width = frames.centre.map(Layout.textWidth) ?? max(1, self.width - 2)
        var v = NoteView(note: p.note, document: Renderer(vault: vault).render(note: p.note), width: width)
        if let row = v.page.row(ofLine: p.line) { v.scroll(to: row + p.offset, height: noteHeight) }
        view = v
        refreshSidePanel(p.note)
    }

    /// The right pane for a note. Unlinked mentions scan the whole vault (about 30 ms per
    /// 10,000 notes), so the note is shown first and they are searched once no key waits
    /// (`idle`); they are kept per note for this snapshot, so going back and forth does not
    /// search again.
    mutating func refreshSidePanel(_ index: Int) {
        let mentions: MentionState
        if let found = mentionCache[index] {
            mentions = .found(found)
            mentionsDue = nil
        } else if vault.notes.count <= Self.mentionLimit {
            mentions = .searching
            mentionsDue = index
        } else {
            mentions = .notSearched
            mentionsDue = nil
        }
        right = sidePanel(for: index, mentions: mentions)
    }

    /// True when work waits for a moment with no key to handle (`idle`). Not while hint
    /// labels are up: they name rows of the panes by place.
    public var hasIdleWork: Bool { mentionsDue != nil && overlay != .hints }

    /// Work left for when the screen is drawn and no key waits: the unlinked mentions of the
    /// note on screen. A note opened and left before then (paging back through the history,
    /// say) is never searched. The runtime calls it, then draws again.
    public mutating func idle() {
        guard hasIdleWork, let index = mentionsDue else { return }
        mentionsDue = nil
        guard view?.note == index, mentionCache[index] == nil else { return }
        let found = vault.unlinkedMentions(of: index)
        mentionCache[index] = found
        // Only the mentions' rows are replaced. A row chosen below them moves down with them,
        // the default choice (the pane's first row to choose) is made again, and the pane
        // scrolls only to keep the chosen row in sight.
        let old = right, at = mentionRows
        let rows = mentionSection(.found(found))
        let shift = rows.count - at.count
        right.rows.replaceSubrange(at, with: rows)
        mentionRows = at.lowerBound..<(at.lowerBound + rows.count)
        if old.selected == old.rows.firstIndex(where: \.selectable) {
            right.selected = right.rows.firstIndex(where: \.selectable)
        } else if let s = old.selected, s >= at.upperBound {
            right.selected = s + shift
        }
        if old.top >= at.upperBound { right.top = old.top + shift }
        if let s = right.selected, !right.shows(s, height: listHeight(.right)) {
            right.reveal(height: listHeight(.right))
        }
    }

    /// Follows a link of the graph.
    mutating func follow(_ ref: LinkRef) {
        let link = vault.link(ref)
        switch link.destination {
        case let .note(t):
            let line = link.subpath.isEmpty ? nil : vault.notes[t].line(ofSubpath: link)
            open(t, line: line)
            // Mark the heading or block the link named until the next key: near the end of
            // a note it cannot scroll to the top of the screen.
            if let line, let v = view, let l = v.document.lineIndex(forSource: line) { markedRow = v.page.row(ofLine: l) }
            if !link.subpath.isEmpty && line == nil {
                message = "“\(link.subpath.joined(separator: " › "))” is not in \(vault.notes[t].title)"
            }
        case let .attachment(a):
            message = "attachment: \(vault.attachments[a].path) (mycel shows notes only)"
        case .ghost:
            if let t = link.aliasOf {
                open(t)
                message = "opened through the alias “\(link.path)”"
            } else {
                message = "“\(link.path)” does not exist yet (unresolved link): c creates it"
            }
        }
    }

    /// Where an anchor leads, for the status line.
    func describe(_ anchor: AnchorTarget) -> String {
        switch anchor {
        case let .external(url): return "→ " + url
        case let .link(ref):
            let link = vault.link(ref)
            let sub = link.subpath.isEmpty ? "" : " › " + link.subpath.joined(separator: " › ")
            switch link.destination {
            case let .note(t): return "→ " + vault.notes[t].path + sub + (link.subpathFound ? "" : " (no such heading or block)")
            case let .attachment(a): return "→ " + vault.attachments[a].path
            case .ghost:
                if let t = link.aliasOf { return "→ " + vault.notes[t].path + " (through the alias “\(link.path)”)" }
                return "→ “\(link.path)” does not exist yet"
            }
        }
    }

    mutating func follow(anchor: Int) {
        guard let v = view, v.document.anchors.indices.contains(anchor) else { return }
        switch v.document.anchors[anchor] {
        case let .link(ref): follow(ref)
        case let .external(url): message = "external link: \(url)"
        }
    }

    // MARK: Update

    public mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case let .resize(w, h):
            width = max(1, w)
            height = max(1, h)
            relayout()
            return []
        case let .mouse(m):
            self.message = nil
            markedRow = nil
            mouse(m)
        case let .key(key):
            self.message = nil
            markedRow = nil
            switch overlay {
            case let .confirm(w):
                overlay = .none
                if key == .char("y") { pendingEffects.append(.write(w)) } else { self.message = "nothing was written" }
            case .switcher: switcherKey(key)
            case .hints: hintKey(key)
            case .help: helpKey(key)
            case let .prompt(kind): promptKey(key, kind)
            case .none:
                let context: Binding.Context = focus == .note ? .note : .list
                if let action = keyMap.action(for: key, in: context) {
                    perform(action)
                } else if case .ctrl("c") = key {
                    perform(.quit)
                }
            }
        }
        relayout()
        var effects = pendingEffects
        pendingEffects = []
        if quitting { effects.append(.quit) }
        return effects
    }

    mutating func perform(_ action: Action) {
        switch action {
        case .quit:
            quitting = true
        case .help:
            overlay = .help
            helpTop = 0
        case .close:
            overlay = .none
            focus = .note
        case .switcher:
            overlay = .switcher
            switcher = Switcher()
            runSwitcher()
        case .hints:
            startHints()
        case .neighbourhood: showNeighbourhood()
        case .edit:
            guard let v = view else { return }
            pendingEffects.append(.edit(vault.notes[v.note].path))
        case .bookmark: toggleBookmark()
        case .bookmarks: listBookmarks()
        case .randomNote:
            guard vault.notes.count > 1 else { message = "no other note to pick"; return }
            var pick = randomIndex(vault.notes.count)
            if pick == view?.note { pick = (pick + 1) % vault.notes.count }
            open(pick)
        case .copyPath, .copyLink:
            guard let v = view else { return }
            let n = vault.notes[v.note]
            let text = action == .copyPath ? n.path : "[[\(n.id)\(n.title == n.name ? "" : "|" + n.title)]]"
            pendingEffects.append(.copy(text))
            message = "copied \(text) (through the terminal's clipboard, OSC 52)"
        case .find:
            overlay = .prompt(.find)
            prompt = ""
        case .search:
            overlay = .prompt(.search)
            prompt = ""
        case .findNext: findStep(1)
        case .findPrevious: findStep(-1)
        case .back:
            guard let p = back.popLast() else { message = "no earlier note in history"; return }
            if let here = place { forward.append(here) }
            restore(p)
        case .forward:
            guard let p = forward.popLast() else { message = "no later note in history"; return }
            if let here = place { back.append(here) }
            restore(p)
        case .focusBacklinks:
            focus = focus == .right ? .note : .right
        case .tagTree:
            if leftMode == .tags && focus == .left {
                focus = .note
            } else {
                leftMode = .tags
                left = tagList(selecting: lastTag)
                focus = .left
            }
        case .noteList:
            if leftMode == .notes && focus == .left {
                focus = .note
            } else {
                leftMode = .notes
                left = noteList(selecting: view?.note)
                focus = .left
            }
        case .toggleLeft:
            showLeft = !(frames.left != nil)
            if showLeft == false, focus == .left { focus = .note }
        case .toggleRight:
            showRight = !(frames.right != nil)
            if showRight == false, focus == .right { focus = .note }
        default:
            if focus == .note { noteAction(action) } else { listAction(action) }
        }
    }

    // MARK: The note pane

    mutating func noteAction(_ action: Action) {
        guard var v = view else { return }
        let h = noteHeight
        switch action {
        case .scrollDown: v.scroll(to: v.top + 1, height: h)
        case .scrollUp: v.scroll(to: v.top - 1, height: h)
        case .top: v.scroll(to: 0, height: h)
        case .bottom: v.scroll(to: v.page.rows.count, height: h)
        case .halfPageDown: v.scroll(to: v.top + max(1, h / 2), height: h)
        case .halfPageUp: v.scroll(to: v.top - max(1, h / 2), height: h)
        case .pageDown: v.scroll(to: v.top + max(1, h - 2), height: h)
        case .pageUp: v.scroll(to: v.top - max(1, h - 2), height: h)
        case .nextLink, .previousLink:
            let order = v.anchorOrder
            guard !order.isEmpty else { message = "no links in this note"; return }
            let forward = action == .nextLink
            let visible = { (row: Int) in row >= v.top && row < v.top + h }
            var pick: Int?
            if let s = v.selected, let at = order.firstIndex(where: { $0.anchor == s }), visible(order[at].row) {
                let next = at + (forward ? 1 : -1)
                if order.indices.contains(next) { pick = next }
            } else {
                pick = forward ? order.firstIndex { $0.row >= v.top } : order.lastIndex { $0.row < v.top + h }
            }
            guard let p = pick else { message = forward ? "no more links below" : "no more links above"; return }
            v.selected = order[p].anchor
            message = describe(v.document.anchors[order[p].anchor])
            let row = order[p].row
            if row >= v.top + h { v.scroll(to: row - h + 1, height: h) }
            if row < v.top { v.scroll(to: row, height: h) }
        case .createNote:
            guard let s = v.selected, case let .link(ref) = v.document.anchors[s] else {
                message = "c creates the note an unresolved link names: select one with Tab"
                return
            }
            askToCreate(ref)
            return
        case .follow:
            guard let s = v.selected else { message = "no link selected: Tab selects the next one"; return }
            view = v
            follow(anchor: s)
            return
        default:
            return
        }
        view = v
    }

    /// Asks to create the note an unresolved link names (`c`), in the vault only.
    mutating func askToCreate(_ ref: LinkRef) {
        let link = vault.link(ref)
        guard case .ghost = link.destination, link.aliasOf == nil else {
            message = "this link already leads somewhere"
            return
        }
        var path = link.path
        if !path.lowercased().hasSuffix(".md") { path += ".md" }
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            message = "mycel creates notes inside the vault only"
            return
        }
        let name = String(path.split(separator: "/").last ?? "").dropLast(3)
        overlay = .confirm(.create(path: path, contents: "# \(name)\n\n"))
    }

    // MARK: Lists

    mutating func listAction(_ action: Action) {
        var list = focus == .left ? left : right
        let h = listHeight(focus)
        switch action {
        case .scrollDown: list.move(1)
        case .scrollUp: list.move(-1)
        case .top: list.select(first: true)
        case .bottom: list.select(first: false)
        case .halfPageDown: list.moveBy(max(1, h / 2))
        case .halfPageUp: list.moveBy(-max(1, h / 2))
        case .pageDown: list.moveBy(max(1, h - 1))
        case .pageUp: list.moveBy(-max(1, h - 1))
        case .collapse where focus == .left && leftMode == .results && lastSearch == nil && lastTag != nil:
            // From the notes under a tag, back to the tree at that tag.
            leftMode = .tags
            left = tagList(selecting: lastTag)
            left.reveal(height: h)
            return
        case .expand, .collapse:
            if focus == .left, leftMode == .tags, let s = list.selected, case let .tag(path) = list.rows[s].target {
                if action == .expand { expandedTags.insert(path.folded) } else if expandedTags.remove(path.folded) == nil {
                    // Collapsing a leaf or a closed branch goes to its parent.
                    let parent = path.split(separator: "/").dropLast().joined(separator: "/")
                    if !parent.isEmpty { expandedTags.remove(parent.folded) }
                    left = tagList(selecting: parent.isEmpty ? path : parent)
                    return
                }
                left = tagList(selecting: path)
                return
            }
        case .follow:
            guard let s = list.selected else { return }
            activate(list.rows[s].target)
            return
        case .linkMention:
            // `c` on a row: an unlinked mention becomes a link; an unresolved link's note is made.
            if let s = list.selected, case let .link(ref) = list.rows[s].target, case .ghost = vault.link(ref).destination {
                askToCreate(ref)
                return
            }
            guard let s = list.selected, case let .mention(m) = list.rows[s].target, let v = view else {
                message = "c links the selected unlinked mention, or creates the note of the selected unresolved link"
                return
            }
            if let w = mentionLink(m, to: v.note) { overlay = .confirm(w) }
            return
        default:
            break
        }
        list.reveal(height: h)
        if focus == .left { left = list } else { right = list }
    }

    mutating func activate(_ target: ListRow.Target) {
        switch target {
        case .none: return
        case let .note(n, line, link):
            // Opening a search result keeps the searched text highlighted, and `n` finds it.
            let searched = leftMode == .results ? lastSearch : nil
            open(n, line: line, select: link)
            if let searched {
                findQuery = searched
                if let line, let v = view, let l = v.document.lineIndex(forSource: line) { findRow = v.page.row(ofLine: l) }
            }
            focus = .note
        case let .link(ref):
            follow(ref)
            focus = .note
        case let .mention(m):
            open(m.note, line: m.line)
            focus = .note
        case let .tag(path):
            guard let node = vault.tagTree.find(path) else { return }
            lastTag = node.path
            let notes = node.allNotes.sorted { vault.notes[$0].title.folded < vault.notes[$1].title.folded }
            leftMode = .results
            lastSearch = nil
            left = ListState(title: "#\(node.path) (\(notes.count))", rows: notes.map { n in
                ListRow([[Span(vault.notes[n].title, .plain)]], .note(n, line: nil, link: nil))
            })
            focus = .left
        }
    }

    // MARK: Side panes

    func noteList(selecting note: Int? = nil) -> ListState {
        // Folded once each, and sorted by bytes: folding in the comparison folded each path 27
        // times, and `<` is no order for some NFC and NFD spellings.
        let order = utf8SortedIndices(vault.notes.map { $0.path.folded })
        var list = ListState(title: "Notes (\(order.count))", rows: order.map { i in
            // The name first, where a narrow pane still shows it; the folder after it, dimmed.
            // (Read in place: a copy of the note would retain and release all it holds.)
            let name = vault.notes[i].name, folder = vault.notes[i].folder
            var spans = [Span(name, .plain)]
            if !folder.isEmpty { spans.append(Span("  " + folder, Style(.dim))) }
            return ListRow([spans], .note(i, line: nil, link: nil))
        })
        if let note, let at = list.rows.firstIndex(where: { $0.target == .note(note, line: nil, link: nil) }) { list.selected = at }
        return list
    }

    func tagList(selecting path: String? = nil) -> ListState {
        var rows: [ListRow] = []
        // Branches above the selected tag are shown open.
        var expandedTags = self.expandedTags
        if let path {
            let parts = path.split(separator: "/")
            for k in 1..<max(1, parts.count) { expandedTags.insert(parts[..<k].joined(separator: "/").folded) }
        }
        func walk(_ node: TagNode, depth: Int) {
            for child in node.children {
                let open = expandedTags.contains(child.path.folded)
                let marker = child.children.isEmpty ? "  " : open ? "▾ " : "▸ "
                rows.append(ListRow([[Span(String(repeating: "  ", count: depth) + marker, Style(.dim)),
                                      Span("#" + child.name, Style(.tag)),
                                      Span(" \(child.count)", Style(.dim))]], .tag(child.path)))
                if open { walk(child, depth: depth + 1) }
            }
        }
        walk(vault.tagTree, depth: 0)
        var list = ListState(title: "Tags", rows: rows)
        if let path, let at = rows.firstIndex(where: { $0.target == .tag(path) }) { list.selected = at }
        if rows.isEmpty { list.rows = [ListRow([[Span("no tags in this vault", Style(.dim))]], .none)] }
        return list
    }

    /// The rows of the side pane's unlinked mentions, below its heading.
    func mentionSection(_ mentions: MentionState) -> [ListRow] {
        var rows: [ListRow] = []
        switch mentions {
        case let .found(mentions):
            rows.append(ListRow([[Span("Unlinked mentions (\(mentions.count))", Style(.paneTitle, .bold))]], .none))
            if mentions.isEmpty { rows.append(ListRow([[Span("  none", Style(.dim))]], .none)) }
            for m in mentions.prefix(Self.sidePanelLimit) {
                rows.append(ListRow([[Span(vault.notes[m.note].title, Style(.plain))],
                                     [Span("  " + Self.context(m.context, column: m.column), Style(.dim))]],
                                    .mention(m)))
            }
            if mentions.count > Self.sidePanelLimit {
                rows.append(ListRow([[Span("  … \(mentions.count - Self.sidePanelLimit) more (mycel backlinks --mentions lists them all)", Style(.dim))]], .none))
            }
        case .searching:
            rows.append(ListRow([[Span("Unlinked mentions", Style(.paneTitle, .bold))]], .none))
            rows.append(ListRow([[Span("  searching…", Style(.dim))]], .none))
        case .notSearched:
            rows.append(ListRow([[Span("Unlinked mentions: not searched", Style(.paneTitle, .bold))]], .none))
            rows.append(ListRow([[Span("  (vaults over \(Self.mentionLimit) notes)", Style(.dim))]], .none))
        }
        return rows
    }

    /// Backlinks (each with its context line), outgoing links and tags of a note.
    /// (`mentionRows` is set to where the mentions are.)
    mutating func sidePanel(for index: Int, mentions: MentionState) -> ListState {
        let note = vault.notes[index]
        var rows: [ListRow] = []
        // Links from the note to itself (`[[#Heading]]`) are not backlinks a reader wants.
        let backs = vault.backlinks[index].filter { $0.note != index }
        rows.append(ListRow([[Span("Backlinks (\(backs.count))", Style(.paneTitle, .bold))]], .none))
        if backs.isEmpty { rows.append(ListRow([[Span("  none", Style(.dim))]], .none)) }
        // A pane lists the first thousands; `mycel backlinks` lists every one.
        let listed = Array(backs.prefix(Self.sidePanelLimit))
        for (ref, line) in zip(listed, vault.contextLines(of: listed)) {
            let source = vault.notes[ref.note]
            let link = vault.link(ref)
            let context = Self.context(line, column: link.column)
            rows.append(ListRow([[Span(source.title, Style(.link))], [Span("  " + context, Style(.dim))]],
                                .note(ref.note, line: link.line, link: ref)))
        }
        if backs.count > listed.count {
            rows.append(ListRow([[Span("  … \(backs.count - listed.count) more (mycel backlinks lists them all)", Style(.dim))]], .none))
        }
        // Unlinked mentions: other notes naming this one's title or an alias as plain text.
        rows.append(ListRow([[]], .none))
        let mentionsStart = rows.count
        rows += mentionSection(mentions)
        mentionRows = mentionsStart..<rows.count
        rows.append(ListRow([[]], .none))
        rows.append(ListRow([[Span("Links (\(note.links.count))", Style(.paneTitle, .bold))]], .none))
        if note.links.isEmpty { rows.append(ListRow([[Span("  none", Style(.dim))]], .none)) }
        for (i, link) in note.links.enumerated() {
            var label = Renderer.label(of: link)
            if case let .note(t) = link.destination, link.display == nil { label = vault.notes[t].title + (link.subpath.isEmpty ? "" : " › " + link.subpath.joined(separator: " › ")) }
            var spans = [Span(label, Renderer.style(of: link))]
            if link.kind == .frontmatter, let p = link.property { spans.append(Span("  (\(p))", Style(.dim))) }
            if link.aliasOf != nil { spans.append(Span("  (alias)", Style(.dim))) }
            if case .ghost = link.destination, link.aliasOf == nil { spans.append(Span("  (unresolved)", Style(.dim))) }
            rows.append(ListRow([spans], .link(LinkRef(note: index, link: i))))
        }
        let tags = note.tags
        rows.append(ListRow([[]], .none))
        rows.append(ListRow([[Span("Tags (\(tags.count))", Style(.paneTitle, .bold))]], .none))
        if tags.isEmpty { rows.append(ListRow([[Span("  none", Style(.dim))]], .none)) }
        for t in tags { rows.append(ListRow([[Span("#" + t, Style(.tag))]], .tag(t))) }
        return ListState(title: note.title, rows: rows)
    }

    /// Above this many notes, opening a note does not search the vault for unlinked mentions
    /// (about 30 ms per 10,000 notes on two cores).
    static let mentionLimit = 20_000

    /// The write that turns mention `m` into a link to `target`: `[[name|text as written]]`
    /// (`[[name]]` when the text is the name), with the note's path when its name alone
    /// would lead elsewhere.
    func mentionLink(_ m: Mention, to target: Int) -> Write? {
        let note = vault.notes[m.note]
        var lines = note.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.indices.contains(m.line - 1) else { return nil }
        var scalars = Array(lines[m.line - 1].unicodeScalars)
        let start = m.column - 1, end = start + m.length
        guard start >= 0, end <= scalars.count else { return nil }
        let written = String(String.UnicodeScalarView(scalars[start..<end]))
        let t = vault.notes[target]
        let name = vault.resolve(t.name) == .note(target) ? t.name : t.id
        let link = written == name ? "[[\(name)]]" : "[[\(name)|\(written)]]"
        scalars.replaceSubrange(start..<end, with: link.unicodeScalars)
        lines[m.line - 1] = String(String.UnicodeScalarView(scalars))
        return .rewrite(path: note.path, old: note.text, new: lines.joined(separator: "\n"))
    }

    /// A context line as a reader wants it: links shown by their text, starting a little
    /// before the link when the line is long.
    static func context(_ line: String, column: Int) -> String {
        let all = line.unicodeScalars
        var start = 0
        if column > 16 {
            // Back from ten scalars before the link to the start of its word, but never more
            // than 30 further: a line with no spaces still shows its link.
            let first = all.prefix(column - 1 - 10).count, floor = max(0, first - 30)
            let before = Array(all.dropFirst(floor).prefix(first - floor))
            if let space = before.lastIndex(of: " ") {
                start = floor + space + 1
            } else {
                start = floor == 0 ? 0 : first
            }
        }
        // No pane shows more than this of a line; only that much of it is read.
        var scalars = Array(all.dropFirst(start).prefix(Self.contextLimit + 1))
        if scalars.count > Self.contextLimit {
            scalars.removeLast()
            scalars.append("…")
        }
        // [[target|text]] → text, [[target]] → target.
        var out = ""
        var i = 0
        while i < scalars.count {
            if scalars[i] == "[", i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j + 1 < scalars.count, !(scalars[j] == "]" && scalars[j + 1] == "]") { j += 1 }
                if j + 1 < scalars.count {
                    let inner = scalars[(i + 2)..<j]
                    let shown = inner.lastIndex(of: "|").map { inner[($0 + 1)...] } ?? inner
                    out.unicodeScalars.append(contentsOf: shown)
                    i = j + 2
                    continue
                }
            }
            out.unicodeScalars.append(scalars[i])
            i += 1
        }
        return (start > 0 ? "…" : "") + out.trimmingSpaces
    }

    /// The most of a line a context shows (wider than any side pane).
    static let contextLimit = 200
    /// The most backlinks or mentions the side pane lists.
    static let sidePanelLimit = 2_000

    // MARK: Overlays and prompts

    mutating func helpKey(_ key: Key) {
        switch key {
        case .escape, .char("q"), .char("?"): overlay = .none
        case .char("j"), .down: helpTop += 1
        case .char("k"), .up: helpTop = max(0, helpTop - 1)
        case .pageDown, .char(" "), .ctrl("d"): helpTop += max(1, height / 2)
        case .pageUp, .ctrl("u"): helpTop = max(0, helpTop - max(1, height / 2))
        case .char("g"), .home: helpTop = 0
        case .char("G"), .end: helpTop = .max
        default: break
        }
        helpTop = max(0, min(helpTop, keyMap.bindings.count - View.helpRows(self)))
    }

    mutating func switcherKey(_ key: Key) {
        let rows = switcherRows
        switch key {
        case .escape: overlay = .none
        case .enter:
            settle()
            if let r = switcher.result, r.matches.indices.contains(switcher.selected) {
                overlay = .none
                focus = .note
                open(r.matches[switcher.selected].note)
            } else if switcher.result?.total == 0, let path = switcherNewNote {
                // Nothing has the name: the note can be made (after asking), as in Obsidian.
                let name = String(path.split(separator: "/").last ?? "").dropLast(3)
                overlay = .confirm(.create(path: path, contents: "# \(name)\n\n"))
            }
        case .down, .ctrl("n"), .tab: switcher.selected = min(switcher.selected + 1, max(0, (switcher.result?.matches.count ?? 1) - 1))
        case .up, .ctrl("p"), .backTab: switcher.selected = max(0, switcher.selected - 1)
        case .backspace:
            guard !switcher.query.isEmpty else { return }
            switcher.query.removeLast()
            switcher.pending = .fresh
        case .ctrl("u"):
            switcher.query = ""
            switcher.pending = .fresh
        case let .char(c):
            switcher.query.append(c)
            if switcher.pending == nil { switcher.pending = .narrowing }
        default: break
        }
        if switcher.selected < switcher.top { switcher.top = switcher.selected }
        if switcher.selected >= switcher.top + rows { switcher.top = switcher.selected - rows + 1 }
    }

    /// The note Enter offers to create when the switcher's query matches nothing: the query
    /// as a vault-relative path with `.md`, when it is a plain name (no search syntax, nothing
    /// above the vault, no control characters); nil otherwise.
    var switcherNewNote: String? {
        let query = switcher.query.trimmingSpaces
        guard !query.isEmpty, !query.hasPrefix("/"), !query.unicodeScalars.contains(where: \.isTerminalControl) else { return nil }
        let syntax = query.split(separator: " ").contains { w in
            w.first.map { "'^!#".contains($0) } == true || w.hasSuffix("$") || w.hasPrefix("\\")
        }
        let parts = query.split(separator: "/", omittingEmptySubsequences: false)
        guard !syntax, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.hasPrefix(".") }) else { return nil }
        return query.lowercased().hasSuffix(".md") ? query : query + ".md"
    }

    /// Result rows the switcher box shows.
    var switcherRows: Int { max(1, min(20, height - 6)) }

    /// Runs work the last messages left pending (the switcher's search), once for a whole
    /// burst of keys. The runtime calls it before drawing.
    public mutating func settle() {
        guard let p = switcher.pending else { return }
        switcher.pending = nil
        runSwitcher(incremental: p == .narrowing)
    }

    mutating func runSwitcher(incremental: Bool = false) {
        let previous = incremental ? switcher.result : nil
        switcher.result = searcher.search(switcher.query, limit: 200, previous: previous)
        switcher.selected = 0
        switcher.top = 0
    }

    mutating func promptKey(_ key: Key, _ kind: PromptKind) {
        switch key {
        case .escape: overlay = .none
        case .backspace:
            if prompt.isEmpty { overlay = .none } else { prompt.removeLast() }
        case .ctrl("u"): prompt = ""
        case let .char(c): prompt.append(c)
        case .enter:
            overlay = .none
            let text = prompt
            guard !text.isEmpty else { return }
            switch kind {
            case .find:
                findQuery = text
                findRow = nil
                findStep(0)
            case .search:
                searchVault(text)
            }
        default: break
        }
    }

    /// Rows and columns where the find query appears in the laid-out note.
    /// Only `rows` are searched when given (drawing needs just the visible ones).
    func findHits(in rows: Range<Int>? = nil) -> [(row: Int, x: Int, width: Int)] {
        guard let v = view, !findQuery.isEmpty else { return [] }
        let needle = Array(findQuery.folded)
        var hits: [(Int, Int, Int)] = []
        let range = (rows ?? 0..<v.page.rows.count).clamped(to: 0..<v.page.rows.count)
        for r in range {
            let chars = Array(v.page.rows[r].text.folded)
            guard chars.count >= needle.count else { continue }
            var i = 0
            while i + needle.count <= chars.count {
                if Array(chars[i..<(i + needle.count)]) == needle {
                    let x = DisplayWidth.of(String(chars[..<i]))
                    hits.append((r, x, DisplayWidth.of(String(needle))))
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        return hits
    }

    /// Moves to the next (1), previous (-1) or first visible-or-later (0) match.
    mutating func findStep(_ direction: Int) {
        guard var v = view else { return }
        guard !findQuery.isEmpty else { message = "nothing to find: / starts a search in the note"; return }
        let rows = Array(Set(findHits().map(\.row))).sorted()
        guard !rows.isEmpty else { message = "“\(findQuery)” is not in this note"; return }
        // Steps go from the current match (kept in the state: the scroll position is clamped
        // near the ends of a note and cannot tell where we are), wrapping around.
        // After scrolling away from the current match, steps start from the screen again,
        // as in less and vim.
        if let row = findRow, row < v.top || row >= v.top + noteHeight { findRow = nil }
        var target: Int
        switch (direction, findRow) {
        case let (1, current?): target = rows.first { $0 > current } ?? rows[0]
        case let (-1, current?): target = rows.last { $0 < current } ?? rows[rows.count - 1]
        case (-1, nil): target = rows.last { $0 < v.top + noteHeight } ?? rows[rows.count - 1]
        default: target = rows.first { $0 >= v.top } ?? rows[0]
        }
        findRow = target
        let position = (rows.firstIndex(of: target) ?? 0) + 1
        let wrapped = direction == 1 && position == 1 && rows.count > 1 || direction == -1 && position == rows.count && rows.count > 1
        v.scroll(to: target - min(noteHeight / 3, 3), height: noteHeight)
        view = v
        message = "“\(findQuery)”: \(position) of \(rows.count) rows with a match" + (wrapped ? " (wrapped around)" : "")
    }

    mutating func searchVault(_ text: String) {
        let hits = vault.grep(text, limit: 500)
        var rows: [ListRow] = []
        for hit in hits {
            let n = vault.notes[hit.note]
            rows.append(ListRow([[Span(n.title, Style(.link))],
                                 [Span("  \(hit.line): ", Style(.dim)), Span(Self.context(hit.text, column: hit.columns.first?.column ?? 1), .plain)]],
                                .note(hit.note, line: hit.line, link: nil)))
        }
        leftMode = .results
        lastSearch = text
        left = ListState(title: "“\(text)”: \(hits.count)\(hits.count == 500 ? "+" : "") line\(hits.count == 1 ? "" : "s")", rows: rows)
        if rows.isEmpty { left.rows = [ListRow([[Span("no note contains “\(text)”", Style(.dim))]], .none)] }
        findQuery = text
        focus = .left
    }

    // MARK: Mouse

    mutating func mouse(_ m: MouseEvent) {
        let f = frames
        if overlay == .switcher {
            if m.kind == .click, let box = View.switcherBox(self), box.contains(m.x, m.y) {
                let i = switcher.top + (m.y - box.y - View.resultsOffset(box))
                if let r = switcher.result, i >= switcher.top, r.matches.indices.contains(i) {
                    switcher.selected = i
                    switcherKey(.enter)
                }
            } else if m.kind == .click {
                overlay = .none
            }
            return
        }
        if overlay != .none {
            if m.kind == .click { overlay = .none }
            return
        }
        if let c = f.centre, c.contains(m.x, m.y), var v = view {
            switch m.kind {
            case .wheelUp: v.scroll(to: v.top - 3, height: noteHeight); view = v
            case .wheelDown: v.scroll(to: v.top + 3, height: noteHeight); view = v
            case .click:
                focus = .note
                let row = v.top + (m.y - c.y), x = m.x - c.x - 1
                guard v.page.rows.indices.contains(row) else { return }
                if let s = v.page.rows[row].segments.first(where: { $0.anchor != nil && x >= $0.x && x < $0.x + $0.width }),
                   let a = s.anchor {
                    v.selected = a
                    view = v
                    follow(anchor: a)
                }
            }
            return
        }
        for (which, rect) in [(Focus.left, f.left), (Focus.right, f.right)] {
            guard let r = rect, r.contains(m.x, m.y) else { continue }
            var list = which == .left ? left : right
            switch m.kind {
            // The wheel moves the selection, which the list keeps in view.
            case .wheelUp: list.moveBy(-3)
            case .wheelDown: list.moveBy(3)
            case .click:
                focus = which
                var line = r.y + 1
                var i = list.top
                while i < list.rows.count, line + list.rows[i].lines.count <= m.y { line += list.rows[i].lines.count; i += 1 }
                guard i < list.rows.count, list.rows[i].selectable else { break }
                list.selected = i
                if which == .left { left = list } else { right = list }
                activate(list.rows[i].target)
                return
            }
            if which == .left { left = list } else { right = list }
        }
    }
}
