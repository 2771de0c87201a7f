// `$XDG_CONFIG_HOME/mycel/config.toml` (default `~/.config/mycel/config.toml`), parsed with
// TOMLKit. Every problem (a syntax error, an unknown key, a bad value) becomes a message
// naming its line, and the setting it concerns keeps its default: mycel always starts.

import BrowserUI
import TOMLKit

public struct Config: Sendable {
    public enum ThemeName: String, Sendable { case dark, light }

    /// The default vault, used when no --vault, $MYCEL_VAULT or enclosing vault is found.
    public var vault: String?
    /// The editor command (split at spaces), before $VISUAL and $EDITOR.
    public var editor: [String]?
    public var theme: ThemeName = .dark
    public var leftWidth: Int?
    public var rightWidth: Int?
    public var keyMap: KeyMap = .standard
    /// Colour overrides by role: (foreground, background) in the 256-colour palette, -1 for
    /// the terminal's default.
    public var colors: [Role: (Int, Int)] = [:]
    /// What was wrong with the file, each naming its line.
    public var problems: [String] = []

    public init() {}

    /// Where the file is looked for.
    public static func path(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/mycel/config.toml" }
        return (environment["HOME"] ?? "") + "/.config/mycel/config.toml"
    }

    /// Reads the configuration text (nil: no file, all defaults).
    public static func parse(_ text: String?, file: String = "config.toml") -> Config {
        var config = Config()
        guard let text else { return config }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            config.problems.append("\(file):\(e.source.begin.line): \(e.description); using the defaults")
            return config
        } catch {
            config.problems.append("\(file): \(error); using the defaults")
            return config
        }
        let lines = LineFinder(text)
        var found: [(line: Int, text: String)] = []
        func problem(_ key: String, _ section: String?, _ what: String) {
            let n = lines.line(of: key, in: section)
            found.append((n, "\(file):\(n): \(what)"))
        }

        for key in table.keys {
            let value = table[key]!
            switch key {
            case "vault":
                if let s = value.string, !s.isEmpty { config.vault = s } else { problem(key, nil, "vault must be a folder path in quotes") }
            case "editor":
                let parts = value.string?.split(separator: " ").map(String.init) ?? []
                if parts.isEmpty { problem(key, nil, "editor must be a command in quotes, like \"nvim\"") } else { config.editor = parts }
            case "theme":
                if let s = value.string, let t = ThemeName(rawValue: s) { config.theme = t } else { problem(key, nil, "theme must be \"dark\" or \"light\"") }
            case "panes":
                guard let panes = value.table else { problem(key, nil, "[panes] must be a table"); continue }
                for p in panes.keys {
                    guard let n = panes[p]?.int, (10...80).contains(n) else {
                        problem(p, "panes", "\(p) must be a number of columns from 10 to 80"); continue
                    }
                    switch p {
                    case "left": config.leftWidth = n
                    case "right": config.rightWidth = n
                    default: problem(p, "panes", "unknown pane “\(p)” (left, right)")
                    }
                }
            case "keys":
                guard let keys = value.table else { problem(key, nil, "[keys] must be a table"); continue }
                config.keyMap = Self.keyMap(keys, problem: { problem($0, "keys", $1) })
            case "colors":
                guard let colors = value.table else { problem(key, nil, "[colors] must be a table"); continue }
                for name in colors.keys {
                    guard let role = Role.named(name) else { problem(name, "colors", "unknown role “\(name)”"); continue }
                    guard let pair = Self.colour(colors[name]!) else {
                        problem(name, "colors", "\(name) must be a colour 0-255, or \"fg/bg\" such as \"75/236\" (-1: the terminal's own)")
                        continue
                    }
                    config.colors[role] = pair
                }
            default:
                problem(key, nil, "unknown setting “\(key)” (vault, editor, theme, [panes], [keys], [colors])")
            }
        }
        config.problems = found.sorted { $0.line < $1.line }.map(\.text)
        return config
    }

    static func colour(_ value: TOMLValueConvertible) -> (Int, Int)? {
        func valid(_ n: Int) -> Bool { (-1...255).contains(n) }
        if let n = value.int { return valid(n) ? (n, -1) : nil }
        guard let s = value.string else { return nil }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: " ")) }
        guard parts.count == 2, let fg = parts[0], let bg = parts[1], valid(fg), valid(bg) else { return nil }
        return (fg, bg)
    }

    /// The standard key map with the actions the file names rebound.
    static func keyMap(_ table: TOMLTable, problem: (String, String) -> Void) -> KeyMap {
        var bindings = KeyMap.standard.bindings
        for name in table.keys {
            guard let action = Action(rawValue: name) else { problem(name, "unknown action “\(name)” (see docs/keys.md)"); continue }
            let value = table[name]!
            let texts: [String]
            if let s = value.string { texts = [s] } else if let a = value.array { texts = a.compactMap { $0.string } } else { texts = [] }
            let keys = texts.compactMap(Key.init(label:))
            guard !texts.isEmpty, keys.count == texts.count else {
                problem(name, "\(name) must be a key or a list of keys, such as \"q\", \"Ctrl-p\", \"Enter\" or \"F2\"")
                continue
            }
            let contexts = Set(bindings.filter { $0.action == action }.map(\.context))
            if let clash = bindings.first(where: { b in b.action != action && contexts.contains(b.context) && b.keys.contains(where: keys.contains) }) {
                problem(name, "a key of \(name) is already bound to \(clash.action.rawValue); \(name) keeps its keys")
                continue
            }
            bindings = bindings.map { b in
                b.action == action ? Binding(keys: keys, action: b.action, context: b.context, help: b.help) : b
            }
        }
        return KeyMap(bindings: bindings)
    }

    /// A commented configuration file holding the defaults.
    public static var defaultFile: String {
        var keys = ""
        for b in KeyMap.standard.bindings {
            let list = b.keys.map { "\"\($0.label)\"" }.joined(separator: ", ")
            keys += "# \(b.action.rawValue) = [\(list)]\(String(repeating: " ", count: max(1, 40 - b.action.rawValue.count - list.count)))# \(b.help)\n"
        }
        let roles = Role.allCases.map { "\($0)" }.joined(separator: ", ")
        return """
        # mycel configuration: $XDG_CONFIG_HOME/mycel/config.toml (default ~/.config/mycel/).
        # Every setting is optional; a line mycel cannot use is reported at start-up and the
        # default is kept. Remove the "# " in front of a setting to change it.

        # The vault to open when no --vault, $MYCEL_VAULT or enclosing vault is found.
        # vault = "~/notes"

        # The editor for `e` (split at spaces, run without a shell); else $VISUAL, $EDITOR, vi.
        # editor = "nvim"

        # "dark" (light text on a dark terminal) or "light".
        # theme = "dark"

        [panes]
        # Widths in columns of the side panes (10 to 80).
        # left = 28
        # right = 34

        [keys]
        # An action = a key or a list of keys: a character, or Ctrl-x, Enter, Tab, Shift-Tab,
        # Esc, Backspace, Space, Del, Home, End, PgUp, PgDn, Up, Down, Left, Right, F1-F12.
        \(keys)
        [colors]
        # A role = a 256-colour number for the text, or "text/background" (-1: the terminal's
        # own colour). Roles: \(roles).
        # link = 75
        # highlight = "16/222"

        """
    }
}

/// Finds the line where a key is set, for messages (TOMLKit reports positions only for
/// syntax errors).
struct LineFinder {
    let lines: [Substring]
    init(_ text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    func line(of key: String, in section: String?) -> Int {
        var current: String?
        for (i, raw) in lines.enumerated() {
            let l = raw.trimmingCharacters(in: " ")
            if l.hasPrefix("[") { current = String(l.dropFirst().prefix { $0 != "]" }).trimmingCharacters(in: " "); continue }
            guard current == section else { continue }
            if l.hasPrefix(key), l.dropFirst(key.count).trimmingCharacters(in: " ").hasPrefix("=") { return i + 1 }
        }
        // A table header names the line when the key is a section.
        if let n = lines.firstIndex(where: { $0.trimmingCharacters(in: " ") == "[\(key)]" }) { return n + 1 }
        return 1
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set || s.first == "\t" { s.removeFirst() }
        while s.last == set || s.last == "\t" || s.last == "\r" { s.removeLast() }
        return String(s)
    }
}

extension Key {
    /// The key a label names (the labels of `Key.label`, plus Up/Down/Left/Right).
    public init?(label: String) {
        let named: [String: Key] = [
            "Enter": .enter, "Tab": .tab, "Shift-Tab": .backTab, "Esc": .escape, "Backspace": .backspace,
            "Space": .char(" "), "Del": .delete, "Home": .home, "End": .end, "PgUp": .pageUp, "PgDn": .pageDown,
            "Up": .up, "Down": .down, "Left": .left, "Right": .right, "↑": .up, "↓": .down, "←": .left, "→": .right,
        ]
        if let k = named[label] { self = k; return }
        if label.hasPrefix("Ctrl-"), label.count == 6, let c = label.last, c.isLetter {
            self = .ctrl(Character(c.lowercased())); return
        }
        if label.hasPrefix("F"), let n = Int(label.dropFirst()), (1...12).contains(n) { self = .function(n); return }
        if label.count == 1, let c = label.first, !c.isWhitespace { self = .char(c); return }
        return nil
    }
}

extension Role {
    /// A role by its name in the configuration (`link`, `linkUnresolved` ...).
    public static func named(_ name: String) -> Role? { allCases.first { "\($0)" == name } }
}
