// The only code that talks to ncurses. Starts and restores the terminal, turns roles into
// colours, paints a grid by diffing it against the last frame, and decodes input.

import BrowserUI
import CNCursesW
#if canImport(Glibc)
import Glibc
#endif

public enum TerminalError: Error, CustomStringConvertible {
    case unknownTerminal(String)
    case notATerminal
    /// A known terminal type that cannot place the cursor (TERM=dumb).
    case cannotDraw(String)

    public var description: String {
        switch self {
        case let .unknownTerminal(t):
            return t.isEmpty
                ? "TERM is not set, so mycel cannot drive this terminal; set it (for example TERM=xterm-256color)"
                : "the terminal type “\(t)” is unknown to ncurses; set TERM to one it knows (for example xterm-256color)"
        case .notATerminal:
            return "the browser needs a terminal on standard input and output; the subcommands (mycel --help) work in pipes"
        case let .cannotDraw(t):
            return "the terminal type “\(t)” cannot move the cursor, so the browser cannot draw there; run it in a full "
                + "terminal (TERM=xterm-256color, for example), or use the subcommands (mycel search, show, links: mycel --help)"
        }
    }
}

/// What the user did.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}

public enum ColorMode: String, Sendable {
    case colors256, colors16, colors8, monochrome
}

public final class Terminal {
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var outFile: UnsafeMutablePointer<FILE>?
    private var inFile: UnsafeMutablePointer<FILE>?
    private var ownsFiles = false
    private var previous: Grid?
    private let theme: Theme
    public private(set) var colorMode: ColorMode = .monochrome
    public private(set) var isRunning = false
    /// True once input has failed for good (the terminal went away).
    public private(set) var inputClosed = false

    /// Starts ncurses on the process's terminal (`output`/`input` nil) or on the given files
    /// (tests paint into `/dev/null`). `term` overrides `$TERM`; `environment` replaces the
    /// process's environment for TERM and NO_COLOR when given.
    public init(term: String? = nil, output: String? = nil, input: String? = nil,
                environment: [String: String]? = nil, theme: Theme = .standard) throws {
        self.theme = theme
        Terminal.setUTF8Locale()
        func env(_ key: String) -> String? {
            if let environment { return environment[key] }
            return getenv(key).map { String(cString: $0) }
        }
        let name = term ?? env("TERM") ?? ""
        if let output {
            outFile = fopen(output, "w")
            inFile = fopen(input ?? "/dev/null", "r")
            ownsFiles = true
        } else {
            guard isatty(0) != 0, isatty(1) != 0 else { throw TerminalError.notATerminal }
            outFile = fdopen(1, "w")
            inFile = fdopen(0, "r")
        }
        guard !name.isEmpty else { throw TerminalError.unknownTerminal("") }
        // Unlike initscr, newterm returns nil for a terminal type it does not know.
        guard let s = newterm(name, outFile, inFile) else { throw TerminalError.unknownTerminal(name) }
        set_term(s)
        guard mycel_can_address_cursor() != 0 else {
            // Nothing was drawn yet; the terminal's modes are put back as `stop` does.
            endwin()
            delscreen(s)
            if ownsFiles {
                if let f = outFile { fclose(f) }
                if let f = inFile { fclose(f) }
                ownsFiles = false
            }
            throw TerminalError.cannotDraw(name)
        }
        screen = s
        window = mycel_stdscr()
        isRunning = true
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        let mask = mmask_t(mycel_button1_click() | mycel_button1_pressed() | mycel_wheel_up() | mycel_wheel_down())
        mousemask(mask, nil)
        mouseinterval(0)
        setupColors(noColor: env("NO_COLOR").map { !$0.isEmpty } ?? false)
        if output == nil { Terminal.restoreOnCrash() }
    }

    /// Should mycel crash (a trap, a bad access, an abort), the handler puts the terminal
    /// back (cooked mode, no mouse reporting, the normal screen) before the process dies
    /// with the same signal, so the user's shell is never left unusable.
    static func restoreOnCrash() {
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                endwin()
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(bitPattern: UInt32(truncatingIfNeeded: SA_RESETHAND))
            sigaction(sig, &action, nil)
        }
    }

    deinit { stop() }

    /// Sets a UTF-8 locale from the environment, falling back to C.UTF-8 when the
    /// environment names none (LANG=C, unset).
    static func setUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if codeset.uppercased().replacingUTF8Dash() != "UTF8" {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "C.utf8") }
        }
    }

    /// Restores the terminal. Safe to call more than once.
    public func stop() {
        guard isRunning else { return }
        isRunning = false
        endwin()
        if let s = screen { delscreen(s) }
        screen = nil
        if ownsFiles {
            if let f = outFile { fclose(f) }
            if let f = inFile { fclose(f) }
        } else if let f = outFile {
            fflush(f)
        }
    }

    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    // MARK: Colours

    /// Colour pair of each role is its raw value + 1; attributes come from the theme.
    private var roleAttributes: [attr_t] = Array(repeating: 0, count: Role.allCases.count)

    private func setupColors(noColor: Bool) {
        if noColor || !has_colors() {
            colorMode = .monochrome
        } else {
            start_color()
            use_default_colors()
            let n = mycel_colors()
            colorMode = n >= 256 ? .colors256 : n >= 16 ? .colors16 : .colors8
        }
        for role in Role.allCases {
            let entry = theme.entry(role, colorMode)
            roleAttributes[Int(role.rawValue)] = entry.attributes
            if colorMode != .monochrome {
                init_pair(Int16(role.rawValue) + 1, Int16(entry.foreground), Int16(entry.background))
            }
        }
    }

    func attributes(_ style: Style) -> (attr_t, Int16) {
        var a = roleAttributes[Int(style.role.rawValue)]
        if style.flags.contains(.bold) { a |= mycel_a_bold() }
        if style.flags.contains(.italic) { a |= mycel_a_italic() }
        if style.flags.contains(.underline) { a |= mycel_a_underline() }
        if style.flags.contains(.reverse) { a ^= mycel_a_reverse() }
        // Strikethrough has no portable curses attribute: dim stands in for it.
        if style.flags.contains(.strike) { a |= mycel_a_dim() }
        return (a, colorMode == .monochrome ? 0 : Int16(style.role.rawValue) + 1)
    }

    // MARK: Painting

    /// Paints `grid`, writing only the cells that changed since the last frame.
    /// Returns how many cells were written.
    @discardableResult
    public func paint(_ grid: Grid) -> Int {
        guard isRunning, let w = window else { return 0 }
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(w) }
        var written = 0
        var buffer = [wchar_t](repeating: 0, count: 16)
        let width = min(grid.width, Int(getmaxx(w))), height = min(grid.height, Int(getmaxy(w)))
        for y in 0..<height {
            for x in 0..<width {
                let cell = grid[x, y]
                guard cell.width > 0 else { continue }
                if !full, let p = previous, p[x, y] == cell { continue }
                // Never let a two-column character hang over the right edge.
                let text = cell.width == 2 && x + 1 >= width ? " " : cell.text
                let (attrs, pair) = attributes(cell.style)
                // ncurses takes one spacing character plus non-spacing ones per cell: a
                // grapheme of several spacing characters (a flag) is painted one per column,
                // as far as its width goes, and columns left over are blanked.
                let scalars = Array(text.unicodeScalars)
                var col = x, i = 0
                let end = x + (text == " " ? 1 : Int(cell.width))
                while i < scalars.count, col < end {
                    var k = 0
                    buffer[k] = wchar_t(bitPattern: scalars[i].value); k += 1
                    let cols = max(1, DisplayWidth.of(scalars[i]))
                    i += 1
                    while i < scalars.count, DisplayWidth.of(scalars[i]) == 0 {
                        if k < 4 { buffer[k] = wchar_t(bitPattern: scalars[i].value); k += 1 }
                        i += 1
                    }
                    buffer[k] = 0
                    if col + cols > end { break }
                    _ = mycel_put(w, Int32(y), Int32(col), buffer, attrs, pair)
                    col += cols
                }
                while col < end {
                    buffer[0] = 32; buffer[1] = 0
                    _ = mycel_put(w, Int32(y), Int32(col), buffer, attrs, pair)
                    col += 1
                }
                written += 1
            }
        }
        previous = grid
        wnoutrefresh(w)
        doupdate()
        return written
    }

    /// Forgets the last frame so the next paint redraws everything (after a resize or when
    /// the screen was handed to another program).
    public func invalidate() {
        previous = nil
        if let w = window { clearok(w, true) }
    }

    /// Reads back one painted cell: its text, attributes and colour pair (for tests).
    public func cell(x: Int, y: Int) -> (text: String, attributes: attr_t, pair: Int16)? {
        guard let w = window else { return nil }
        var buffer = [wchar_t](repeating: 0, count: 16)
        var attrs: attr_t = 0
        var pair: Int16 = 0
        guard mycel_get(w, Int32(y), Int32(x), &buffer, 16, &attrs, &pair) == OK else { return nil }
        var text = ""
        for v in buffer where v != 0 { if let s = Unicode.Scalar(UInt32(bitPattern: v)) { text.unicodeScalars.append(s) } }
        return (text, attrs, pair)
    }

    // MARK: Handing the terminal over

    /// Gives the terminal back to the shell's modes so another program (an editor) can run.
    public func suspend() {
        guard isRunning else { return }
        def_prog_mode()
        endwin()
    }

    /// Takes the terminal back after `suspend`, redrawing everything on the next paint.
    public func resume() {
        guard isRunning, let w = window else { return }
        reset_prog_mode()
        invalidate()
        wrefresh(w)
    }

    // MARK: Clipboard

    /// Asks the terminal to put `text` on the system clipboard (OSC 52). Terminals that do
    /// not support it ignore the sequence. The text is base64, so it carries no control bytes.
    public func copyToClipboard(_ text: String) {
        guard let f = outFile else { return }
        let sequence = "\u{1B}]52;c;" + Terminal.base64(Array(text.utf8)) + "\u{07}"
        fputs(sequence, f)
        fflush(f)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : "=")
            out.append(i + 2 < bytes.count ? table[Int(n & 63)] : "=")
            i += 3
        }
        return out
    }

    // MARK: Input

    /// Waits up to `timeout` milliseconds (-1: forever) for input.
    public func read(timeout: Int32) -> InputEvent? {
        guard let w = window else { return nil }
        // A terminal that went away (its window closed, the ssh connection dropped) hangs
        // up: there is nobody left to serve.
        if let f = inFile {
            var p = pollfd(fd: fileno(f), events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 0) > 0, Int32(p.revents) & (POLLHUP | POLLERR | POLLNVAL) != 0 {
                inputClosed = true
                return nil
            }
        }
        wtimeout(w, timeout)
        var ch: wint_t = 0
        let r = wget_wch(w, &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return special(Int32(ch)) }
        switch ch {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(ch) + 96))))
        case 0, 28...31: return nil
        default:
            guard let s = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .key(.char(Character(s)))
        }
    }

    private func special(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_RESIZE:
            invalidate()
            let s = size
            return .resize(width: s.width, height: s.height)
        case KEY_MOUSE:
            var e = MEVENT()
            guard getmouse(&e) == OK else { return nil }
            let state = mmask_t(e.bstate)
            if state & mycel_wheel_up() != 0 { return .mouse(MouseEvent(.wheelUp, x: Int(e.x), y: Int(e.y))) }
            if mycel_wheel_down() != 0, state & mycel_wheel_down() != 0 { return .mouse(MouseEvent(.wheelDown, x: Int(e.x), y: Int(e.y))) }
            if state & (mycel_button1_click() | mycel_button1_pressed()) != 0 {
                return .mouse(MouseEvent(.click, x: Int(e.x), y: Int(e.y)))
            }
            return nil
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_F0 + 1...KEY_F0 + 12: return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }
}

private extension String {
    func replacingUTF8Dash() -> String { filter { $0 != "-" } }
}
