// The browser's state file: `$XDG_STATE_HOME/mycel/state.json` (default
// `~/.local/state/mycel/state.json`), one session per vault, keyed by the vault's real
// path. Never inside a vault. Written to a temporary file and renamed into place, so a
// crash cannot leave half a file; a file that cannot be read is ignored, not fatal.

import BrowserUI
import Foundation

struct SessionStore {
    let path: String

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let base: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        path = base + "/mycel/state.json"
    }

    static func key(_ vault: String) -> String {
        URL(fileURLWithPath: vault).resolvingSymlinksInPath().standardizedFileURL.path
    }

    private func all() -> [String: Session] {
        guard let data = FileManager.default.contents(atPath: path),
              let sessions = try? JSONDecoder().decode([String: Session].self, from: data) else { return [:] }
        return sessions
    }

    func load(vault: String) -> Session? { all()[Self.key(vault)] }

    /// Saves one vault's session, keeping the others. Failing to save is not an error the
    /// user can act on at exit, so it is reported and otherwise ignored.
    func save(_ session: Session, vault: String) {
        var sessions = all()
        sessions[Self.key(vault)] = session
        do {
            let dir = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let temporary = dir + "/.state-\(getpid()).json"
            try encoder.encode(sessions).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            FileHandle.standardError.write(Data("mycel: could not save the session to \(path): \(error)\n".utf8))
        }
    }
}
