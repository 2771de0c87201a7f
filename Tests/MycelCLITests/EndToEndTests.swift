import Foundation
import Testing

/// The real binary in a real terminal: tmux runs `mycel` in a pane of a given size, the test
/// types keys and reads the screen back. Each scenario has its own tmux server and its own
/// copy of the sample vault, and checks afterwards that the vault's bytes did not change.
final class TmuxSession {
    let socket = "mycel-e2e-" + UUID().uuidString.prefix(8)
    let vault: String
    /// `$XDG_STATE_HOME` of the session: sessions are saved here, never in the user's home.
    let stateHome: String
    private let original: [String: Data]
    private let width: Int, height: Int
    private let ownsVault: Bool

    /// The vault is a fresh copy of the sample vault, or `reuse` (a copy a test made and
    /// removes itself).
    /// With `capture`, every byte mycel writes to its terminal is appended to that file
    /// (tmux's pipe-pane, opened before mycel starts).
    init(width: Int = 120, height: Int = 40, args: [String] = [], env: [String: String] = [:],
         stateHome: String? = nil, reuse: String? = nil, capture: String? = nil, unset: [String] = []) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || Self.which("tmux") != nil else {
            throw TmuxMissing()
        }
        ownsVault = reuse == nil
        vault = reuse ?? NSTemporaryDirectory() + "mycel-e2e-vault-" + UUID().uuidString
        if reuse == nil { try FileManager.default.copyItem(atPath: CLI.vault, toPath: vault) }
        original = Self.contents(of: vault)
        self.stateHome = stateHome ?? NSTemporaryDirectory() + "mycel-e2e-state-" + UUID().uuidString
        self.width = width
        self.height = height
        // Sessions and configuration live in the test's own folders, never the user's.
        var environment = ["TERM": "tmux-256color", "LANG": "C.UTF-8", "XDG_STATE_HOME": self.stateHome,
                           "XDG_CONFIG_HOME": self.stateHome + "/config"]
        for (k, v) in env { environment[k] = v }
        for key in unset { environment.removeValue(forKey: key) }
        let envArgs = (unset.map { "-u \($0)" } + environment.map { "\($0.key)=\(Self.quote($0.value))" }).joined(separator: " ")
        let gate = capture == nil ? "" : "read _gate; "
        let command = "trap '' INT; \(gate)env \(envArgs) \(Self.quote(CLI.binary)) --vault \(Self.quote(vault)) "
            + args.map(Self.quote).joined(separator: " ")
            + "; echo \"exit=$?\"; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; sleep 600"
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "sh", "-c", command])
        if let capture {
            try tmux(["pipe-pane", "-O", "cat >> " + Self.quote(capture)])
            try tmux(["send-keys", "Enter"])
        }
    }

    deinit {
        // mycel saves its session when the server's hang-up reaches it: the folders are
        // removed once every process of the pane has exited, or the save makes them again
        // (the test runs left thousands of state folders in /tmp).
        let processes = paneProcesses()
        _ = try? tmux(["kill-server"])
        let deadline = Date().addingTimeInterval(5)
        while processes.contains(where: Self.isRunning), Date() < deadline { usleep(10_000) }
        if ownsVault { try? FileManager.default.removeItem(atPath: vault) }
        if keepState == false { try? FileManager.default.removeItem(atPath: stateHome) }
    }

    /// The pane's shell and every process below it (mycel among them).
    func paneProcesses() -> [Int32] {
        let pane = (try? tmux(["list-panes", "-F", "#{pane_pid}"])).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return pane.map { [$0] + Self.descendants(of: $0) } ?? []
    }

    /// Every process below `pid` (Linux's `/proc/PID/task/PID/children`).
    static func descendants(of pid: Int32) -> [Int32] {
        guard let list = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return [] }
        let children = list.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return children + children.flatMap(descendants(of:))
    }

    /// False once the process has exited (a zombie waiting to be reaped has exited).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    /// Runs a tmux client and returns what it printed. Spawned and reaped by hand: the first
    /// client forks the tmux server, which would inherit (and hold open) the descriptors
    /// Foundation's `Process` uses to notice that a child exited.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + args
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TmuxFailed(args: args) }
        // The read end must not leak into the server either.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let capture = args.first == "capture-pane" || args.first == "list-panes"
        if capture {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        // Test threads block most signals, and a child inherits the mask: the tmux server
        // would never see SIGCHLD or SIGTERM. Start it with no signal blocked and every
        // signal at its default action.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, &attributes, &cargs, environ)
        close(fds[1])
        guard rc == 0 else { close(fds[0]); throw TmuxFailed(args: args) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: data, as: UTF8.self)
    }

    /// Set when a later session in the same test reuses the state folder.
    var keepState = false

    var screen: String { (try? tmux(["capture-pane", "-p"])) ?? "" }
    var lines: [String] { screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// Sends tmux key names (`Tab`, `Enter`, `BSpace`, `C-p`, `Escape`, `j` ...).
    func keys(_ names: String...) throws {
        for n in names { try tmux(["send-keys", n]) }
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }

    func resize(_ width: Int, _ height: Int) throws {
        try tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until `predicate` holds for the screen; fails the test with the last screen.
    @discardableResult
    func wait(_ what: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
              _ predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen
            if predicate(last) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
        return false
    }

    func wait(for text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        wait("“\(text)”", sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// The status line (the last non-empty row while mycel runs).
    var status: String { lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "" }

    func expectVaultUnchanged(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Self.contents(of: vault) == original, "the vault's files changed", sourceLocation: sourceLocation)
    }

    /// Every regular file's bytes under `root` and every symbolic link's target (links are
    /// not followed; pipes and other special files are listed, never read, which could block).
    static func contents(of root: String) -> [String: Data] {
        var out: [String: Data] = [:]
        func walk(_ rel: String) {
            let full = rel.isEmpty ? root : root + "/" + rel
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: full) else { return }
            for name in names.sorted() {
                let r = rel.isEmpty ? name : rel + "/" + name
                let p = root + "/" + r
                if let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: p) {
                    out["link:" + r] = Data(dest.utf8)
                    continue
                }
                switch (try? FileManager.default.attributesOfItem(atPath: p))?[.type] as? FileAttributeType {
                case .typeDirectory?: walk(r)
                case .typeRegular?: out[r] = FileManager.default.contents(atPath: p) ?? Data()
                case nil: continue
                default: out["special:" + r] = Data()
                }
            }
        }
        walk("")
        return out
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}

struct TmuxFailed: Error { let args: [String] }

struct TmuxMissing: Error, CustomStringConvertible {
    var description: String { "tmux is needed for the end-to-end tests: apt-get install tmux (make test installs it)" }
}

@Suite(.serialized) struct EndToEndTests {
    @Test func opensTheSampleVault() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        let screen = t.screen
        #expect(screen.contains("Start Here"))
        #expect(screen.contains("Notes (38)"))      // left pane at 120 columns
        #expect(screen.contains("Backlinks ("))     // right pane
        #expect(screen.contains("Welcome 🍄."))
        t.expectVaultUnchanged()
    }

    @Test("a session's folders are gone once it ends, though mycel saves its state as the hang-up reaches it")
    func leavesNoFoldersBehind() throws {
        var t: TmuxSession? = try TmuxSession()
        let state = t!.stateHome, vault = t!.vault
        t!.wait(for: "start-here.md")
        try t!.keys("j", "Enter")  // a session worth saving
        let processes = t!.paneProcesses()
        #expect(processes.count >= 2)
        t = nil
        #expect(processes.filter(TmuxSession.isRunning) == [])
        #expect(!FileManager.default.fileExists(atPath: vault))
        #expect(!FileManager.default.fileExists(atPath: state))
    }

    @Test func followsALinkWithTabAndEnterAndComesBack() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        try t.keys("Tab", "Enter")
        t.wait("the linked note") { $0.contains("network-nations.md") && $0.contains("◀1 ▶0") }
        #expect(t.screen.contains("Network Nations"))
        try t.keys("BSpace")
        t.wait("the way back") { $0.contains("start-here.md") && $0.contains("◀0 ▶1") }
        try t.keys("L")
        t.wait("forward again") { $0.contains("network-nations.md") && $0.contains("◀1 ▶0") }
        t.expectVaultUnchanged()
    }

    @Test func quickSwitcherFindsAnAlias() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        try t.keys("C-p")
        t.wait(for: "Open note:")
        try t.type("network states")
        t.wait(for: "Network Nations  ← alias “network states”")
        try t.keys("Enter")
        t.wait("Network Nations open") { $0.contains("network-nations.md") && !$0.contains("Open note:") }
        t.expectVaultUnchanged()
    }

    @Test func browsesTheTagTree() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        try t.keys("t")
        t.wait(for: "#governance")
        // Down to #governance, open its branch, list its notes, open the first.
        let rows = t.lines.firstIndex { $0.contains("#governance") }! - t.lines.firstIndex { $0.contains(" Tags") }! - 1
        for _ in 0..<rows { try t.keys("j") }
        try t.keys("l")
        t.wait(for: "▾ #governance")
        try t.keys("Enter")
        t.wait(for: "#governance (")
        try t.keys("Enter")
        t.wait("a tagged note open") { !$0.contains("start-here.md") && $0.contains(".md") }
        t.expectVaultUnchanged()
    }

    @Test func resizingKeepsThePlace() throws {
        let t = try TmuxSession(args: ["network nations"])
        t.wait(for: "network-nations.md")
        for _ in 0..<8 { try t.keys("j") }
        t.wait(for: "9/")
        let firstRow = { (screen: String) -> String in
            // The note pane's first row: between the two separators at 120 columns.
            let row = String(screen.split(separator: "\n").first ?? "")
            let parts = row.split(separator: "│", omittingEmptySubsequences: false)
            return parts.count >= 3 ? parts[1].trimmingCharacters(in: .whitespaces) : row.trimmingCharacters(in: .whitespaces)
        }
        let before = firstRow(t.screen)
        #expect(!before.isEmpty)
        try t.resize(40, 12)
        t.wait("one pane at 40×12") { s in
            let rows = s.split(separator: "\n", omittingEmptySubsequences: false)
            // The status line keeps the position and cuts the path: `network-nati… 13/77`.
            return !s.contains("│") && rows.count >= 12 && rows.allSatisfy { $0.count <= 40 } && s.contains("network-nati")
        }
        // The first words of the top line are still at the top.
        let narrowTop = t.lines.first?.trimmingCharacters(in: .whitespaces) ?? ""
        #expect(before.hasPrefix(narrowTop.split(separator: " ").prefix(2).joined(separator: " ")))
        try t.resize(120, 40)
        t.wait("three panes again") { $0.contains("Notes (38)") }
        t.wait("the same top line") { firstRow($0) == before }
        t.expectVaultUnchanged()
    }

    @Test("c on an unresolved link, then y: the note is written and opened, and Back returns")
    func creatingANoteOpensIt() throws {
        let t = try TmuxSession(args: ["stigmergy"])
        t.wait(for: "concepts/stigmergy.md")
        // Tab until the status line names the unresolved link (the text mentions it too).
        let selected = "→ “a note that does not exist yet” does not exist yet"
        for _ in 0..<12 where !t.screen.contains(selected) {
            try t.keys("Tab")
            Thread.sleep(forTimeInterval: 0.1)
        }
        t.wait(for: selected)
        try t.keys("c")
        t.wait(for: "Create a note that does not exist yet.md? y writes it")
        try t.keys("y")
        t.wait(for: "created a note that does not exist yet.md")
        let made = t.vault + "/a note that does not exist yet.md"
        #expect((try? String(contentsOfFile: made, encoding: .utf8)) == "# a note that does not exist yet\n\n")
        try t.keys("Escape")
        t.wait("the new note open") { $0.contains("a note that does not exist yet.md ") && $0.contains("◀1 ▶0") }
        try t.keys("BSpace")
        t.wait(for: "concepts/stigmergy.md")
    }

    @Test func hintModeFollowsALabelledLink() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        try t.keys("f")
        // More than nine links on screen: two-letter labels, the first "aa", written just
        // before the first link (the `related` property's network-nations).
        t.wait(for: "aanetwork-nations")
        try t.keys("a", "a")
        t.wait(for: "network-nations.md")
        #expect(t.screen.contains("◀1 ▶0"))
        t.expectVaultUnchanged()
    }

    @Test func theNextSessionComesBackWithItsBookmarks() throws {
        let state = NSTemporaryDirectory() + "mycel-e2e-state-" + UUID().uuidString
        let vault = NSTemporaryDirectory() + "mycel-e2e-vault-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: CLI.vault, toPath: vault)
        defer {
            try? FileManager.default.removeItem(atPath: state)
            try? FileManager.default.removeItem(atPath: vault)
        }
        do {
            let t = try TmuxSession(stateHome: state, reuse: vault)
            t.keepState = true
            t.wait(for: "start-here.md")
            try t.keys("Tab", "Enter")
            t.wait(for: "network-nations.md")
            try t.keys("m")
            t.wait(for: "bookmarked network-nations.md")
            try t.keys("q")
            t.wait(for: "exit=0")
            t.expectVaultUnchanged()
        }
        #expect(FileManager.default.fileExists(atPath: state + "/mycel/state.json"))
        let t = try TmuxSession(stateHome: state, reuse: vault)
        t.wait("the last note and its history") { $0.contains("network-nations.md") && $0.contains("◀1 ▶0") }
        try t.keys("'")
        t.wait(for: "Bookmarks (1)")
        t.expectVaultUnchanged()
    }

    /// `e` hands the terminal to $EDITOR (here a script that appends a line), then the
    /// note and its links are reloaded; only the edited file changed.
    @Test func theEditorLoopReloadsTheNote() throws {
        let script = NSTemporaryDirectory() + "mycel-e2e-editor-\(UUID().uuidString).sh"
        try "#!/bin/sh\nprintf '\\nAdded by the editor: [[commons]]\\n' >> \"$1\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        defer { unlink(script) }
        let t = try TmuxSession(env: ["EDITOR": script, "VISUAL": ""])
        t.wait(for: "start-here.md")
        try t.keys("e")
        t.wait(for: "reloaded after editing start-here.md")
        try t.keys("G")
        t.wait(for: "Added by the editor: commons")
        let changed = TmuxSession.contents(of: t.vault)
        #expect(String(decoding: changed["start-here.md"] ?? Data(), as: UTF8.self).hasSuffix("Added by the editor: [[commons]]\n"))
    }

    /// A file changed under the running browser shows up within a second; a deleted open
    /// note says so.
    @Test func changesOnDiskShowUpWithoutARestart() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        let file = t.vault + "/start-here.md"
        let handle = try #require(FileHandle(forWritingAtPath: file))
        handle.seekToEndOfFile()
        handle.write(Data("\nWritten by another program: [[commons]]\n".utf8))
        try handle.close()
        t.wait(for: "files changed on disk: vault reloaded")
        try t.keys("G")
        t.wait(for: "Written by another program: commons")
        try FileManager.default.removeItem(atPath: file)
        t.wait(for: "start-here.md no longer exists")
    }

    /// A configuration with a bad line still starts, says which line, and applies the rest.
    @Test func aConfigurationFileIsAppliedAndItsProblemsShown() throws {
        let state = NSTemporaryDirectory() + "mycel-e2e-state-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state + "/config/mycel", withIntermediateDirectories: true)
        try "theme = \"light\"\nbogus = 1\n[keys]\nquit = \"x\"\n".write(toFile: state + "/config/mycel/config.toml", atomically: true, encoding: .utf8)
        let t = try TmuxSession(stateHome: state)
        t.keepState = true
        t.wait(for: "config.toml:2: unknown setting “bogus”")
        try t.keys("q")          // no longer quit: q is not bound now
        try t.keys("x")
        t.wait(for: "exit=0")
    }

    @Test func quitsCleanlyWithTheTerminalRestored() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        try t.keys("q")
        t.wait(for: "exit=0")
        t.wait("the terminal modes back") { $0.contains("icanon") && $0.contains("echo") && !$0.contains("-icanon") && !$0.contains("-echo ") }
        #expect(!t.screen.contains("start-here.md"))   // the browser's screen is gone
        t.expectVaultUnchanged()
    }

    @Test func interruptRestoresTheTerminalToo() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        try t.keys("C-c")
        t.wait(for: "exit=130")
        t.wait("the terminal modes back") { $0.contains("icanon") && !$0.contains("-icanon") }
    }

    @Test("on a terminal search highlights what matched; with TERM=dumb or NO_COLOR it writes no escape sequence")
    func searchColoursFollowTheTerminal() throws {
        let cases: [([String: String], Bool)] = [([:], true), (["TERM": "dumb"], false), (["NO_COLOR": "1"], false),
                                                 (["NO_COLOR": ""], true)]
        for (env, coloured) in cases {
            let capture = NSTemporaryDirectory() + "mycel-capture-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: capture) }
            // NO_COLOR may be set where the tests run: unset unless the case sets it.
            let t = try TmuxSession(args: ["search", "netnat"], env: env, capture: capture,
                                    unset: env["NO_COLOR"] == nil ? ["NO_COLOR"] : [])
            t.wait(for: "exit=0")
            // Every byte mycel wrote to the terminal (the pipe may lag the screen a moment).
            var written = ""
            let deadline = Date().addingTimeInterval(5)
            while !written.contains("exit=0"), Date() < deadline {
                written = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(written.contains("Network Nations"), "\(env)")
            #expect(written.contains("\u{1B}[1;33m") == coloured, "\(env): \(written.debugDescription)")
            if !coloured { #expect(!written.contains("\u{1B}["), "\(env)") }
        }
    }

    @Test func anUnknownTerminalGetsAClearMessage() throws {
        let t = try TmuxSession(env: ["TERM": "no-such-terminal"])
        t.wait(for: "exit=2")
        #expect(t.screen.contains("“no-such-terminal” is unknown"))
    }

    @Test func aTerminalThatCannotMoveTheCursorGetsAClearMessage() throws {
        let t = try TmuxSession(env: ["TERM": "dumb"])
        t.wait(for: "exit=2")
        #expect(t.screen.contains("“dumb” cannot move the cursor"))
        #expect(!t.screen.contains("start-here.md"))
    }

    @Test func worksInATinyTerminal() throws {
        let t = try TmuxSession(width: 20, height: 5)
        t.wait(for: "start-here.md")
        try t.keys("Tab", "Enter")
        t.wait(for: "network-nations")
        try t.keys("q")
        t.wait(for: "exit=0")
    }
}

extension EndToEndTests {
    /// Closing the terminal under mycel (a window closed, ssh dropped) ends it: no process
    /// is left behind waiting on a terminal that is gone.
    @Test func endsWhenItsTerminalGoesAway() throws {
        let t = try TmuxSession()
        t.wait(for: "start-here.md")
        func running() -> Bool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
            // The mycel process itself (tmux's own command line quotes the path).
            p.arguments = ["-f", "mycel --vault \(t.vault)"]
            p.standardOutput = FileHandle.nullDevice
            try? p.run()
            p.waitUntilExit()
            return p.terminationStatus == 0
        }
        #expect(running())
        try t.tmux(["kill-server"])
        let deadline = Date().addingTimeInterval(5)
        while running(), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!running())
    }
}

/// The terminal edge cases: no TERM, a C locale, a storm of resizes, a burst of keys, and
/// output that is not a terminal. Each works or says clearly why not.
extension EndToEndTests {
    @Test func noTerminalTypeGetsAClearMessage() throws {
        let t = try TmuxSession(unset: ["TERM"])
        t.wait(for: "exit=2")
        #expect(t.screen.contains("TERM is not set"))
        t.expectVaultUnchanged()
    }

    @Test func aCLocaleStillShowsUnicode() throws {
        // LANG=C would make ncurses byte-oriented; mycel falls back to C.UTF-8.
        let t = try TmuxSession(args: ["菌糸ネットワーク"], env: ["LANG": "C", "LC_ALL": "C"])
        t.wait(for: "森を歩くと")
        try t.keys("q")
        t.wait(for: "exit=0")
        t.expectVaultUnchanged()
    }

    @Test func aStormOfResizesEndsOnACorrectScreen() throws {
        let t = try TmuxSession(width: 120, height: 40, args: ["network-nations"])
        t.wait(for: "Backlinks (")
        for i in 0..<60 {
            try t.resize(20 + (i * 37) % 140, 5 + (i * 13) % 50)
        }
        try t.resize(100, 30)
        t.wait("the note at 100×30") { s in
            let rows = s.split(separator: "\n", omittingEmptySubsequences: false)
            return s.contains("Network Nations") && rows.allSatisfy { $0.count <= 100 }
                && rows.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.contains("network-nations.md") == true
        }
        try t.keys("j", "j", "q")
        t.wait(for: "exit=0")
        t.expectVaultUnchanged()
    }

    @Test func aBurstOfKeysIsTakenInOrder() throws {
        let t = try TmuxSession(width: 100, height: 30)
        t.wait(for: "start-here.md")
        // Two thousand keys at once: scrolling, the switcher opened, typed into, closed.
        try t.type(String(repeating: "jk", count: 700) + "G" + String(repeating: "g", count: 100))
        try t.keys("o")
        try t.type(String(repeating: "x", count: 400))
        try t.keys("C-u")
        try t.type("network states")
        t.wait(for: "alias “network states”")
        try t.keys("Enter")
        t.wait("Network Nations opened") { $0.contains("network-nations.md") }
        try t.keys("q")
        t.wait(for: "exit=0")
        t.expectVaultUnchanged()
    }

    @Test func outputThatIsNotATerminalGetsAClearMessage() throws {
        let r = try CLI.run(["--vault", CLI.vault])
        #expect(r.status == 2)
        #expect(r.stderr.contains("needs a terminal"))
        #expect(r.stdout.isEmpty)
    }
}
