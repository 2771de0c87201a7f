import Foundation
@testable import VaultKit

/// Builds a vault from `[path: text]` in memory.
func vault(_ notes: [String: String], attachments: [String] = []) -> Vault {
    Vault.make(notes: notes, attachments: attachments)
}

extension Vault {
    /// The note at a vault path (with `.md`); traps when absent, so a test fails loudly.
    func note(_ path: String) -> Note {
        guard let n = notes.first(where: { $0.path == path }) else { fatalError("no note \(path) in \(notes.map(\.path))") }
        return n
    }

    func index(_ path: String) -> Int { notes.firstIndex { $0.path == path }! }

    /// Where each link of a note leads: the file path, "ghost:<key>".
    func targets(_ path: String) -> [String] {
        note(path).links.map { l in
            if case let .ghost(g) = l.destination { return "ghost:" + ghosts[g].key }
            return self.path(of: l.destination)
        }
    }

    func tags(_ path: String) -> [String] { note(path).tags }
}

/// A temporary folder removed when the value goes away.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "mycel-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ rel: String, _ text: String) { write(rel, Array(text.utf8)) }
    func write(_ rel: String, _ bytes: [UInt8]) {
        let full = path + "/" + rel
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
    }
    func mkdir(_ rel: String) {
        try! FileManager.default.createDirectory(atPath: path + "/" + rel, withIntermediateDirectories: true)
    }
    func symlink(_ rel: String, to dest: String) {
        try! FileManager.default.createSymbolicLink(atPath: path + "/" + rel, withDestinationPath: dest)
    }
}
