// `mycel` with no subcommand: the full-screen browser. Wiring only: the state and its
// update live in BrowserUI, the terminal in TerminalBackend.

import ArgumentParser
import BrowserUI
import Configuration
import Foundation
import Synchronization
import TerminalBackend
import VaultKit

/// The signal that asked us to stop (0: none). Set from the signal handler, read by the loop.
private let pendingSignal = Atomic<Int32>(0)

struct Browse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the vault in the full-screen browser (what `mycel` alone does).",
        discussion: """
        Keys follow vim and less: j/k scroll, Tab selects the next link and Enter follows \
        it, Backspace goes back, o or Ctrl-p finds a note, t shows the tag tree, b the \
        backlinks, / finds in the note, S searches every note, ? lists every key, q quits.

        Examples:
          mycel
          mycel --vault ~/notes
          mycel browse "network nations"
        """)

    @Option(name: .long, help: ArgumentHelp("The vault folder.", valueName: "path"))
    var vault: String?
    @Argument(help: "The note to open first (a path, file name, title or alias).")
    var note: String?

    func run() throws {
        try guarded {
            guard isatty(0) != 0, isatty(1) != 0 else {
                let hint = note.flatMap(Mycel.closestCommand).map { "\n(to run the command: mycel \($0) …)" } ?? ""
                throw CLIError(TerminalError.notATerminal.description + hint, status: 2)
            }
            installSignalHandlers()
            let config = Config.load()
            Editor.configured = config.editor
            let theme = (config.theme == .light ? Theme.light : Theme.standard).overriding(config.colors)
            let terminal: Terminal
            do {
                terminal = try Terminal(theme: theme)
            } catch {
                throw CLIError("\(error)", status: 2)
            }
            defer { terminal.stop() }
            guard let v = try loadShowingProgress(terminal, configured: config.vault) else { return }
            var start: Int?
            if let note {
                do {
                    start = try v.requireNote(note)
                } catch let error as CLIError {
                    terminal.stop()
                    // `mycel serach`: no such note, and perhaps a command mistyped.
                    guard let command = Mycel.closestCommand(to: note) else { throw error }
                    throw CLIError(error.message + "\n(to run the command: mycel \(command) …)", status: error.status)
                } catch {
                    terminal.stop()
                    throw error
                }
            }
            let size = terminal.size
            var state = AppState(vault: v, width: size.width, height: size.height, keyMap: config.keyMap)
            state.leftWidth = config.leftWidth
            state.rightWidth = config.rightWidth
            // The last session comes back (its note, unless one was asked for), and is
            // saved again however the loop ends.
            let store = SessionStore()
            if let saved = store.load(vault: v.root) { state.restore(saved, openLast: start == nil) }
            if state.view == nil, let s = start ?? AppState.startNote(in: v) { state.open(s, record: false) }
            if let first = config.problems.first {
                let more = config.problems.count > 1 ? " (\(config.problems.count - 1) more: mycel config --check)" : ""
                state.say("config: " + first + more)
            }
            run(&state, terminal)
            terminal.stop()
            store.save(state.session, vault: v.root)
        }
        let s = pendingSignal.load(ordering: .relaxed)
        if s != 0 { throw ExitCode(128 + s) }
    }

    /// Loads the vault on another thread while the terminal shows how many notes were read
    /// (the line appears only when loading takes longer than a blink).
    private func loadShowingProgress(_ terminal: Terminal, configured: String?) throws -> Vault? {
        let located = VaultLocator.locate(option: vault, environment: ProcessInfo.processInfo.environment,
                                          currentFolder: FileManager.default.currentDirectoryPath, configured: configured)
        let progress = LoadProgress()
        let thread = Thread {
            let result = Result { () throws(VaultError) -> Vault in
                try Vault.load(at: located.path) { done, total in progress.set(done, total) }
            }
            progress.finish(result)
        }
        thread.stackSize = 8 << 20
        thread.start()
        let started = Date()
        while true {
            if let result = progress.result {
                switch result {
                case let .success(v): return v
                case let .failure(e):
                    terminal.stop()
                    throw CLIError("cannot open the vault: \(e)", status: 2)
                }
            }
            if pendingSignal.load(ordering: .relaxed) != 0 { return nil }
            if Date().timeIntervalSince(started) > 0.15 {
                let (done, total) = progress.counts
                let size = terminal.size
                var grid = Grid(width: size.width, height: size.height)
                let text = total == 0 ? "Loading \(located.path): looking for notes…"
                    : done < total ? "Loading \(located.path): \(done) of \(total) notes read"
                    : "Loading \(located.path): \(total) notes read, linking them…"
                grid.put(text, x: 1, y: min(1, size.height - 1), style: Style(.dim))
                terminal.paint(grid)
            }
            if case .key(.char("q")) = terminal.read(timeout: 50) { return nil }
        }
    }

    private func run(_ state: inout AppState, _ terminal: Terminal) {
        // Changes made to the vault by anything else show up within a second.
        let watcher = VaultWatcher(root: state.vault.root)
        terminal.paint(View.draw(state))
        while pendingSignal.load(ordering: .relaxed) == 0 {
            // ncurses resumes a read a signal interrupted, so the loop wakes up a few times a
            // second to notice a signal, a terminal that hung up, or a changed vault.
            var events: [InputEvent] = []
            // Work left for idle time (the unlinked mentions of the note just opened) starts
            // once no key has come for 50 ms: a held key or a quick run of them (paging back
            // through the history) skips the notes it passes.
            if let first = terminal.read(timeout: state.hasIdleWork ? 50 : 250) {
                events.append(first)
                // Take everything already typed before drawing: a burst costs one frame.
                while events.count < 256, let more = terminal.read(timeout: 0) { events.append(more) }
            } else if terminal.inputClosed {
                return
            }
            var edited = false
            for event in events {
                let message: Message
                switch event {
                case let .key(k): message = .key(k)
                case let .mouse(m): message = .mouse(m)
                case let .resize(w, h): message = .resize(width: w, height: h)
                }
                for effect in state.update(message) {
                    switch effect {
                    case .quit: return
                    case let .copy(text): terminal.copyToClipboard(text)
                    case let .edit(path):
                        edit(path, &state, terminal)
                        edited = true
                    case let .write(w):
                        write(w, &state)
                        edited = true
                    }
                }
            }
            var reloaded = false
            if let watcher, var change = watcher.changes() {
                if edited {
                    _ = watcher.changes()       // our own reload already saw these writes
                } else {
                    // Let a burst of writes (a git pull, a sync) settle, then reload once.
                    while true {
                        Thread.sleep(forTimeInterval: 0.1)
                        guard let more = watcher.changes() else { break }
                        switch (change, more) {
                        case let (.files(a), .files(b)): change = .files(a.union(b))
                        default: change = .everything
                        }
                    }
                    if case let .files(paths) = change { reload(&state, changed: paths) } else { reload(&state, changed: nil) }
                    reloaded = true
                }
            }
            if events.isEmpty, !reloaded, state.hasIdleWork {
                state.idle()
                terminal.paint(View.draw(state))
                continue
            }
            guard !events.isEmpty || reloaded else { continue }
            state.settle()
            terminal.paint(View.draw(state))
        }
    }

    /// Carries out a write the user confirmed, then reloads so it shows at once.
    private func write(_ w: Write, _ state: inout AppState) {
        let root = state.vault.root
        do {
            let done: String
            switch w {
            case let .create(path, contents):
                try VaultWriter.create(path, contents: contents, in: root)
                done = "created \(path)"
            case let .rewrite(path, old, new):
                try VaultWriter.replace(path, expecting: old, with: new, in: root)
                done = "linked the mention in \(path)"
            }
            switch w {
            case let .create(path, _), let .rewrite(path, _, _): reload(&state, changed: [path])
            }
            // A new note is opened, as following its link now would (Back returns).
            if case let .create(path, _) = w, let made = state.vault.notes.firstIndex(where: { $0.path == path }) {
                state.open(made)
            }
            state.say(done)
        } catch {
            state.say("\(error)")
        }
    }

    /// A new snapshot after files changed under the browser: only `changed` notes are
    /// parsed again (nil: everything is read again).
    private func reload(_ state: inout AppState, changed: Set<String>?) {
        do {
            let fresh = try changed.map { try Vault.reload(state.vault, changed: $0) } ?? Vault.load(at: state.vault.root)
            state.replace(vault: fresh)
            if state.message == nil { state.say("files changed on disk: vault reloaded") }
        } catch {
            state.say("the vault changed but could not be read again: \(error)")
        }
    }

    /// Hands the terminal to the editor, then reloads the vault so the note and the links
    /// it changed show at once.
    private func edit(_ path: String, _ state: inout AppState, _ terminal: Terminal) {
        terminal.suspend()
        let problem = Editor.run(file: state.vault.root + "/" + path)
        terminal.resume()
        do {
            let fresh = try Vault.reload(state.vault, changed: [path])
            state.replace(vault: fresh)
            state.say(problem ?? "reloaded after editing \(path)")
        } catch {
            state.say("could not reload the vault: \(error)")
        }
    }

    private func installSignalHandlers() {
        for s in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in pendingSignal.store(signal, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0 // no SA_RESTART: a blocked read returns so the loop can stop
            sigaction(s, &action, nil)
        }
    }
}

/// Loading progress shared between the loading thread and the drawing loop.
private final class LoadProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0, total = 0
    private var outcome: Result<Vault, VaultError>?

    func set(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        self.done = done
        self.total = total
    }
    var counts: (Int, Int) { lock.lock(); defer { lock.unlock() }; return (done, total) }
    func finish(_ r: Result<Vault, VaultError>) { lock.lock(); outcome = r; lock.unlock() }
    var result: Result<Vault, VaultError>? { lock.lock(); defer { lock.unlock() }; return outcome }
}
