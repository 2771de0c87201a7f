import Foundation
import Testing
@testable import BrowserUI
@testable import VaultKit

/// The repository's root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The sample vault, loaded once.
let sampleVault: Vault = try! Vault.load(at: repositoryRoot + "/vault")

func vault(_ notes: [String: String], attachments: [String] = []) -> Vault {
    Vault.make(notes: notes, attachments: attachments)
}

extension Vault {
    func index(_ path: String) -> Int {
        guard let i = notes.firstIndex(where: { $0.path == path }) else { fatalError("no note \(path)") }
        return i
    }
}

/// Renders note `path` of `vault` and lays it out `width` columns wide, as plain rows.
func rendered(_ vault: Vault, _ path: String, width: Int = 60) -> [String] {
    Renderer(vault: vault).render(note: vault.index(path)).layout(width: width).lines(colour: false)
}

/// Compares `text` with the stored snapshot `name`. A missing snapshot is recorded and the
/// test fails, so a new snapshot is always looked at once; `MYCEL_RECORD=1` re-records all.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = repositoryRoot + "/Tests/BrowserUITests/Snapshots"
    let path = dir + "/" + name + ".txt"
    let record = ProcessInfo.processInfo.environment["MYCEL_RECORD"] == "1"
    if !record, let stored = try? String(contentsOfFile: path, encoding: .utf8) {
        if stored != text {
            let diff = zip(stored.split(separator: "\n", omittingEmptySubsequences: false),
                           text.split(separator: "\n", omittingEmptySubsequences: false))
                .enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = diff.map { "first difference at row \($0.offset + 1):\n  stored: \($0.element.0)\n  now:    \($0.element.1)" } ?? "different length"
            Issue.record("snapshot \(name) differs (MYCEL_RECORD=1 re-records): \(where_)\n\(text)", sourceLocation: sourceLocation)
        }
        return
    }
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try? text.write(toFile: path, atomically: true, encoding: .utf8)
    if !record { Issue.record("snapshot \(name) was missing and has been recorded; check it and run again", sourceLocation: sourceLocation) }
}

/// A browser on the sample vault at a size, with its start note open and its idle work
/// done (the first moment without keys).
func browser(_ width: Int, _ height: Int, vault v: Vault = sampleVault) -> AppState {
    var s = AppState(vault: v, width: width, height: height)
    if let start = AppState.startNote(in: v) { s.open(start, record: false) }
    s.idle()
    return s
}

extension AppState {
    /// Sends keys, then settles as the run loop does before each frame, then does the idle
    /// work as it does when no key follows.
    mutating func press(_ keys: Key...) {
        for k in keys { _ = update(.key(k)) }
        settle()
        idle()
    }
    /// Types text one frame per character (settling after each, like a slow typist).
    mutating func type(_ text: String) {
        for c in text {
            _ = update(.key(.char(c)))
            settle()
        }
    }
    var screen: String { View.draw(self).text }
    var openPath: String? { view.map { vault.notes[$0.note].path } }
    /// The text of the selected link, if any.
    var selectedLinkText: String? {
        guard let v = view, let a = v.selected else { return nil }
        return v.page.rows.flatMap(\.segments).filter { $0.anchor == a }.map(\.text).joined()
    }
}
