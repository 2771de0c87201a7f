// Input as data, and the key map: every binding is a row of a table, so the help overlay
// (and docs/keys.md) are generated from the same data the update function reads.

public enum Key: Sendable, Hashable {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, tab, backTab, backspace, escape, delete
    case function(Int)

    /// How the key is written in help and docs.
    public var label: String {
        switch self {
        case let .char(c): return c == " " ? "Space" : String(c)
        case let .ctrl(c): return "Ctrl-" + String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .escape: return "Esc"
        case .delete: return "Del"
        case let .function(n): return "F\(n)"
        }
    }
}

public struct MouseEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case click, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// What a key asks for. The update function interprets an action in the current context.
public enum Action: String, Sendable, CaseIterable {
    case scrollDown, scrollUp, top, bottom, halfPageDown, halfPageUp, pageDown, pageUp
    case nextLink, previousLink, follow, hints, back, forward, close
    case focusBacklinks, tagTree, noteList, switcher, find, findNext, findPrevious, search
    case toggleLeft, toggleRight, help, quit
    case randomNote, copyPath, copyLink, bookmark, bookmarks, neighbourhood, edit, createNote, linkMention
    case expand, collapse
}

public struct Binding: Sendable {
    public enum Context: String, Sendable {
        /// Anywhere no overlay or prompt takes the keys.
        case global
        /// The note pane has the focus.
        case note
        /// A list (side pane, help) has the focus.
        case list
    }
    public let keys: [Key]
    public let action: Action
    public let context: Context
    public let help: String

    public init(keys: [Key], action: Action, context: Context, help: String) {
        self.keys = keys
        self.action = action
        self.context = context
        self.help = help
    }
}

public struct KeyMap: Sendable {
    public let bindings: [Binding]

    public init(bindings: [Binding]) { self.bindings = bindings }

    /// The action bound to `key` in `context` (context-specific bindings first).
    public func action(for key: Key, in context: Binding.Context) -> Action? {
        if let b = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) { return b.action }
        return bindings.first(where: { $0.context == .global && $0.keys.contains(key) })?.action
    }

    public static let standard = KeyMap(bindings: [
        Binding(keys: [.char("j"), .down, .ctrl("e")], action: .scrollDown, context: .global, help: "scroll down / next row"),
        Binding(keys: [.char("k"), .up, .ctrl("y")], action: .scrollUp, context: .global, help: "scroll up / previous row"),
        Binding(keys: [.char("g"), .home], action: .top, context: .global, help: "go to the top"),
        Binding(keys: [.char("G"), .end], action: .bottom, context: .global, help: "go to the bottom"),
        Binding(keys: [.ctrl("d")], action: .halfPageDown, context: .global, help: "half a page down"),
        Binding(keys: [.ctrl("u")], action: .halfPageUp, context: .global, help: "half a page up"),
        Binding(keys: [.pageDown, .char(" "), .ctrl("f")], action: .pageDown, context: .global, help: "a page down"),
        Binding(keys: [.pageUp, .ctrl("b")], action: .pageUp, context: .global, help: "a page up"),
        Binding(keys: [.tab], action: .nextLink, context: .note, help: "select the next link"),
        Binding(keys: [.backTab], action: .previousLink, context: .note, help: "select the previous link"),
        Binding(keys: [.enter], action: .follow, context: .global, help: "follow the link / open the row"),
        Binding(keys: [.char("f")], action: .hints, context: .global, help: "label every link on screen; type a label to follow it"),
        Binding(keys: [.backspace, .char("H"), .ctrl("o")], action: .back, context: .global, help: "back in history"),
        Binding(keys: [.char("L")], action: .forward, context: .global, help: "forward in history"),
        Binding(keys: [.escape], action: .close, context: .global, help: "close the overlay, focus the note"),
        Binding(keys: [.char("b")], action: .focusBacklinks, context: .global, help: "focus backlinks, links and tags"),
        Binding(keys: [.char("t")], action: .tagTree, context: .global, help: "the tag tree"),
        Binding(keys: [.char("a")], action: .noteList, context: .global, help: "all notes, by path"),
        Binding(keys: [.ctrl("p"), .char("o")], action: .switcher, context: .global, help: "quick switcher: find a note"),
        Binding(keys: [.char("/")], action: .find, context: .global, help: "find in the note"),
        Binding(keys: [.char("n")], action: .findNext, context: .global, help: "next match in the note"),
        Binding(keys: [.char("N")], action: .findPrevious, context: .global, help: "previous match in the note"),
        Binding(keys: [.char("S")], action: .search, context: .global, help: "search the text of every note"),
        Binding(keys: [.char("l"), .right], action: .expand, context: .list, help: "open a tag's branch"),
        Binding(keys: [.char("h"), .left], action: .collapse, context: .list, help: "close a tag's branch; from a tag's notes, back to the tree"),
        Binding(keys: [.char("[")], action: .toggleLeft, context: .global, help: "show or hide the left pane"),
        Binding(keys: [.char("]")], action: .toggleRight, context: .global, help: "show or hide the right pane"),
        Binding(keys: [.char("e")], action: .edit, context: .global, help: "edit the note in $VISUAL or $EDITOR, then reload it"),
        Binding(keys: [.char("c")], action: .createNote, context: .note, help: "create the note the selected unresolved link names (asks first)"),
        Binding(keys: [.char("c")], action: .linkMention, context: .list, help: "link the selected unlinked mention, or create the selected unresolved link's note (asks first)"),
        Binding(keys: [.char("w")], action: .neighbourhood, context: .global, help: "the web around the note: links in and out, shared tags, second ring"),
        Binding(keys: [.char("r")], action: .randomNote, context: .global, help: "open a random note"),
        Binding(keys: [.char("y")], action: .copyPath, context: .global, help: "copy the note's path to the clipboard"),
        Binding(keys: [.char("Y")], action: .copyLink, context: .global, help: "copy a [[link]] to the note to the clipboard"),
        Binding(keys: [.char("m")], action: .bookmark, context: .global, help: "bookmark the note (again: remove it)"),
        Binding(keys: [.char("'")], action: .bookmarks, context: .global, help: "list the bookmarks"),
        Binding(keys: [.char("?")], action: .help, context: .global, help: "this help"),
        Binding(keys: [.char("q")], action: .quit, context: .global, help: "quit"),
    ])
}

extension KeyMap {
    /// The key map as a Markdown table: docs/keys.md holds exactly this (a test checks it).
    public var markdownTable: String {
        var out = "| keys | where | does |\n|---|---|---|\n"
        for b in bindings {
            let keys = b.keys.map { "`\($0.label == "`" ? "` ` `" : $0.label)`" }.joined(separator: " ")
            let place: String
            switch b.context {
            case .global: place = "anywhere"
            case .note: place = "note"
            case .list: place = "lists"
            }
            out += "| \(keys) | \(place) | \(b.help) |\n"
        }
        return out
    }
}
