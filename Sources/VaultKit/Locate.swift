#if canImport(Glibc)
import Glibc
#endif

/// Finds the vault to open: `--vault`, else `$MYCEL_VAULT`, else the nearest enclosing
/// folder holding `.obsidian/`, else the configured default vault, else the current folder.
public enum VaultLocator {
    public enum Source: String, Sendable { case option, environment, obsidianFolder, configuration, currentFolder }

    public static func locate(option: String?, environment: [String: String], currentFolder: String,
                              configured: String? = nil) -> (path: String, source: Source) {
        if let option, !option.isEmpty { return (option, .option) }
        if let env = environment["MYCEL_VAULT"], !env.isEmpty { return (env, .environment) }
        var folder = currentFolder
        while true {
            var st = stat()
            let candidate = folder == "/" ? "/.obsidian" : folder + "/.obsidian"
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { return (folder, .obsidianFolder) }
            guard let slash = folder.lastIndex(of: "/"), folder != "/" else { break }
            folder = slash == folder.startIndex ? "/" : String(folder[..<slash])
        }
        if let configured, !configured.isEmpty {
            let home = environment["HOME"] ?? ""
            return (configured.hasPrefix("~/") ? home + configured.dropFirst() : configured, .configuration)
        }
        return (currentFolder, .currentFolder)
    }
}

/// What a NOTE argument named.
public enum Lookup: Sendable, Equatable {
    case note(Int, via: Via)
    case attachment(Int)
    case ghost(Int)
    /// Nothing matched; the closest names, best first.
    case notFound(suggestions: [String])

    public enum Via: Sendable, Equatable { case link, title, alias(String) }
}

extension Vault {
    /// Resolves a NOTE argument: like a link from the vault root, then by exact title, then
    /// by alias, then as an unresolved link target; otherwise suggests the closest names.
    public func lookup(_ query: String) -> Lookup {
        // An exact vault path comes first, spaces and all: a file may be named `  x  .md`.
        switch files.exact(query) {
        case let .note(i)?: return .note(i, via: .link)
        case let .attachment(i)?: return .attachment(i)
        default: break
        }
        let q = query.trimmingSpaces
        if let d = resolve(q) {
            switch d {
            case let .note(i): return .note(i, via: .link)
            case let .attachment(i): return .attachment(i)
            case let .ghost(i): return .ghost(i)
            }
        }
        let f = q.folded
        let byTitle = notes.indices.filter { notes[$0].title.folded == f }
        if byTitle.count == 1 { return .note(byTitle[0], via: .title) }
        let byAlias = Array(Set(notes(withAlias: q))).sorted()
        if byAlias.count == 1 {
            let alias = notes[byAlias[0]].aliases.first { $0.folded == f } ?? q
            return .note(byAlias[0], via: .alias(alias))
        }
        if let g = ghost(named: q) { return .ghost(g) }
        return .notFound(suggestions: suggestions(for: q, limit: 5))
    }

    /// The note ids closest to `query` by edit distance over ids, names, titles and aliases.
    public func suggestions(for query: String, limit: Int) -> [String] {
        let q = Array(query.folded.unicodeScalars)
        var scored: [(Int, String)] = []
        for n in notes {
            var best = Int.max
            for candidate in [n.id, n.name, n.title] + n.aliases {
                let c = Array(candidate.folded.unicodeScalars)
                var d = editDistance(q, c)
                if c.count > q.count, containsRun(c, q) { d = min(d, (c.count - q.count) / 4) }
                best = min(best, d)
            }
            if best <= max(2, q.count / 2) { scored.append((best, n.id)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return scored.prefix(limit).map(\.1)
    }
}

private func containsRun(_ hay: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
    guard !needle.isEmpty, hay.count >= needle.count else { return false }
    for s in 0...(hay.count - needle.count) where hay[s] == needle[0] {
        if Array(hay[s..<(s + needle.count)]) == needle { return true }
    }
    return false
}

/// Levenshtein distance over scalars, two rows (for "closest names" and mistyped commands).
public func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
