/// A problem found in the vault, located in a file. `mycel check` lists them.
public struct Diagnostic: Sendable, Equatable, Comparable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case brokenLink = "broken-link"
        case ambiguousLink = "ambiguous-link"
        case aliasLink = "alias-link"
        case missingHeading = "missing-heading"
        case missingBlock = "missing-block"
        case linkOutsideVault = "link-outside-vault"
        case invalidFrontmatter = "invalid-frontmatter"
        case bom
        case invalidUTF8 = "invalid-utf8"
        case unreadable
        case symlinkOutside = "symlink-outside"
        case symlinkLoop = "symlink-loop"
        case notAFile = "not-a-file"
        case binary
        case controlCharacter = "control-character"
    }

    public enum Severity: String, Sendable, Codable {
        case error, warning
    }

    public let kind: Kind
    public let severity: Severity
    public let path: String
    public let line: Int?
    public let column: Int?
    public let message: String

    init(kind: Kind, path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        switch kind {
        case .brokenLink, .missingHeading, .missingBlock, .linkOutsideVault, .invalidFrontmatter, .unreadable:
            severity = .error
        default:
            severity = .warning
        }
    }

    init(_ issue: ScanIssue) {
        switch issue.kind {
        case .symlinkOutside: self.init(kind: .symlinkOutside, path: issue.path, message: "skipped symbolic link: \(issue.detail)")
        case .symlinkLoop: self.init(kind: .symlinkLoop, path: issue.path, message: "skipped symbolic link: \(issue.detail)")
        case .unreadableFolder: self.init(kind: .unreadable, path: issue.path, message: "cannot read folder: \(issue.detail)")
        case .notAFile: self.init(kind: .notAFile, path: issue.path, message: "skipped: \(issue.detail), not a regular file")
        }
    }

    /// The control characters in `text` as code points ("U+001B, U+0007"), or nil when none.
    static func controlCodes(_ text: String) -> String? {
        var seen: [Unicode.Scalar] = []
        for u in text.unicodeScalars where u.isTerminalControl && !seen.contains(u) {
            seen.append(u)
            if seen.count == 4 { break }
        }
        guard !seen.isEmpty else { return nil }
        return seen.map { u -> String in
            let hex = String(u.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: ", ")
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        if a.path != b.path { return a.path.utf8Precedes(b.path) }
        if (a.line ?? 0) != (b.line ?? 0) { return (a.line ?? 0) < (b.line ?? 0) }
        if (a.column ?? 0) != (b.column ?? 0) { return (a.column ?? 0) < (b.column ?? 0) }
        return a.kind.rawValue < b.kind.rawValue
    }

    /// Every problem of every note; notes are independent, so they are checked in parallel.
    static func collect(_ vault: Vault) -> [Diagnostic] {
        parallelMap(Array(vault.notes.indices), progress: nil) { i in collect(vault, note: i) }.flatMap { $0 }
    }

    private static func collect(_ vault: Vault, note index: Int) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let note = vault.notes[index]
        do {
            if note.hasBOM {
                out.append(Diagnostic(kind: .bom, path: note.path, line: 1, column: 1,
                                      message: "file starts with a byte order mark; Obsidian will not see its properties"))
            }
            if note.invalidUTF8 {
                out.append(Diagnostic(kind: .invalidUTF8, path: note.path,
                                      message: "not valid UTF-8; invalid bytes were read as U+FFFD"))
            }
            if note.hasNUL {
                out.append(Diagnostic(kind: .binary, path: note.path,
                                      message: "holds NUL bytes: probably not a text note"))
            }
            let named = [note.path, note.title] + note.aliases + note.tags
            if named.contains(where: \.utf8.mayHoldTerminalControl) {
                for (field, text) in [("file name", note.path), ("title", note.title)] + note.aliases.map({ ("alias", $0) })
                    + note.tags.map({ ("tag", "#" + $0) }) {
                    if let codes = controlCodes(text) {
                        out.append(Diagnostic(kind: .controlCharacter, path: note.path,
                                              message: "the \(field) holds terminal control characters (\(codes)); mycel shows them as visible symbols"))
                    }
                }
            }
            if let e = note.frontmatterError {
                out.append(Diagnostic(kind: .invalidFrontmatter, path: note.path, line: e.line, column: e.column,
                                      message: "invalid frontmatter: \(e.message); the note's properties are ignored"))
            }
            for link in note.links {
                // Spelled out only for a link that has a problem (most have none).
                var written: String { link.kind == .markdown ? "(\(link.target))" : "[[\(link.target)]]" }
                let at = (line: link.line, column: link.column)
                switch link.destination {
                case .ghost:
                    if link.escapesVault {
                        out.append(Diagnostic(kind: .linkOutsideVault, path: note.path, line: at.line, column: at.column,
                                              message: "\(written) climbs above the vault root"))
                    } else if let owner = link.aliasOf {
                        out.append(Diagnostic(kind: .aliasLink, path: note.path, line: at.line, column: at.column,
                                              message: "\(written) matches only an alias of \(vault.notes[owner].path): mycel follows it, Obsidian does not"))
                    } else {
                        out.append(Diagnostic(kind: .brokenLink, path: note.path, line: at.line, column: at.column,
                                              message: "\(written) resolves to nothing"))
                    }
                case .note, .attachment:
                    if !link.alternatives.isEmpty {
                        let others = link.alternatives.map { vault.path(of: $0) }.joined(separator: ", ")
                        out.append(Diagnostic(kind: .ambiguousLink, path: note.path, line: at.line, column: at.column,
                                              message: "\(written) matches several files; the shortest path \(vault.path(of: link.destination)) wins over \(others)"))
                    }
                    if !link.subpathFound {
                        let isBlock = link.blockReference != nil
                        out.append(Diagnostic(kind: isBlock ? .missingBlock : .missingHeading, path: note.path,
                                              line: at.line, column: at.column,
                                              message: "\(written): \(vault.path(of: link.destination)) has no \(isBlock ? "block" : "heading") \"\(link.subpath.joined(separator: "#"))\""))
                    }
                }
            }
        }
        return out
    }
}
