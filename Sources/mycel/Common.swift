import ArgumentParser
import Configuration
import Foundation
import VaultKit

/// Options every command shares.
struct VaultOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The vault folder.", valueName: "path"))
    var vault: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false

    /// Loads the vault, showing a progress line on a terminal when it takes a while.
    func load() throws -> Vault {
        let located = VaultLocator.locate(
            option: vault, environment: ProcessInfo.processInfo.environment,
            currentFolder: FileManager.default.currentDirectoryPath, configured: Config.load().vault)
        let progress = isatty(2) != 0 ? ProgressLine() : nil
        var callback: (@Sendable (Int, Int) -> Void)?
        if let progress { callback = { done, total in progress.update(done, total) } }
        do {
            let v = try Vault.load(at: located.path, progress: callback)
            progress?.finish()
            keepUntilExit(v)
            return v
        } catch {
            progress?.finish()
            throw CLIError("cannot open the vault: \(error)" + (located.source == .environment ? " (from $MYCEL_VAULT)" : ""),
                           status: 2)
        }
    }
}

/// The vaults commands loaded, never released: a command exits right after its output, and
/// freeing a vault's notes object by object is work for nothing (70 ms of `mycel stats`'s
/// 600 on the 10k benchmark vault). The browser loads its vaults elsewhere and frees them.
nonisolated(unsafe) private var vaultsKeptUntilExit: [Vault] = []

private func keepUntilExit(_ vault: Vault) { vaultsKeptUntilExit.append(vault) }

/// A progress line on stderr, shown only once loading has taken longer than a blink.
final class ProgressLine: @unchecked Sendable {
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var shown = false
    private let lock = NSLock()

    func update(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(started) > 0.25, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        shown = true
        FileHandle.standardError.write(Data("\rmycel: reading notes \(done)/\(total)".utf8))
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// An error for the user: printed as `mycel: message` on stderr, with an exit status.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let status: Int32
    init(_ message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
    }
    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, turning `CLIError` into a message and an exit status.
    func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as CLIError {
            FileHandle.standardError.write(Data("mycel: \(neutralizeControls(e.message))\n".utf8))
            throw ExitCode(e.status)
        }
    }
}

/// Prints a value as pretty, key-sorted JSON. The encoder already escapes C0 controls inside
/// strings; DEL, C1 controls and bidirectional controls are escaped too (`\u009b`), so the
/// JSON means exactly the same text but cannot act on a terminal it is printed to.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(escapingTerminalControls(json: data))
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Every control left in encoded JSON sits inside a string (structural whitespace is only
/// space and line feed), where `\uXXXX` stands for the same character.
func escapingTerminalControls(json data: Data) -> Data {
    let text = String(decoding: data, as: UTF8.self)
    guard text.unicodeScalars.contains(where: { $0 != "\n" && $0.isTerminalControl }) else { return data }
    var out = ""
    for u in text.unicodeScalars {
        if u != "\n", u.isTerminalControl {
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
            out.unicodeScalars.append(u)
        }
    }
    return Data(out.utf8)
}

/// Writes a line to stdout. Control characters a note may carry (escape sequences, NUL,
/// bidirectional overrides) are shown as harmless symbols, on a terminal and in a pipe alike:
/// text output often ends up on a terminal anyway (`| head`, `| less -R`). `--json` carries
/// the exact text, escaped as JSON requires.
func out(_ s: String, terminator: String = "\n") {
    print(neutralizeControls(s), terminator: terminator)
}

let stdoutIsTerminal = isatty(1) != 0

/// Whether command output may be coloured: on a terminal that takes escape sequences (not
/// TERM=dumb, as Emacs's shell and some editors' consoles set), and not when NO_COLOR is set
/// to anything but the empty string (no-color.org).
let stdoutTakesColour: Bool = {
    let env = ProcessInfo.processInfo.environment
    return stdoutIsTerminal && env["TERM"] != "dumb" && env["NO_COLOR"].map(\.isEmpty) ?? true
}()

func neutralizeControls(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isControl) else { return s }
    var out = String.UnicodeScalarView()
    let scalars = Array(s.unicodeScalars)
    for (i, u) in scalars.enumerated() {
        // A CR that ends a line (CRLF) is kept: it moves nothing, and `show --raw > copy.md`
        // keeps the file's line ends.
        let endsLine = u == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n"
        out.append(isControl(u) && !endsLine ? u.visibleStandIn : u)
    }
    return String(out)
}

private func isControl(_ u: Unicode.Scalar) -> Bool {
    u != "\n" && u != "\t" && u.isTerminalControl
}

extension Vault {
    /// Resolves a NOTE argument to a note, or explains what it named instead.
    func requireNote(_ query: String) throws -> Int {
        switch lookup(query) {
        case let .note(i, _):
            return i
        case let .attachment(i):
            throw CLIError("\"\(query)\" is an attachment (\(attachments[i].path)), not a note")
        case let .ghost(g):
            let wanted = Set(ghostBacklinks[g].map(\.note)).count
            throw CLIError("no note \"\(query)\" exists yet; \(wanted) note\(wanted == 1 ? "" : "s") link to it (see: mycel backlinks \"\(query)\")")
        case let .notFound(suggestions):
            var message = "no note matches \"\(query)\""
            if !suggestions.isEmpty {
                message += "\nclosest names:\n" + suggestions.map { "  \($0)" }.joined(separator: "\n")
            }
            throw CLIError(message)
        }
    }
}

/// Columns of the terminal on stdout (80 when it cannot be read).
func terminalColumns() -> Int {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
}
