// Link resolution as Obsidian does it, case-insensitively (Unicode-aware, NFC = NFD):
// an exact vault path wins, else a file in the source note's folder, else the shortest path.
// Path-qualified links may match a path suffix on whole segments; `./`, `../` and `/` forms
// are relative to the source note's folder or the root.

struct Resolution {
    var destination: Destination?
    var alternatives: [Destination] = []
    var escapesVault = false
}

struct FileIndex: Sendable {
    /// Folded note id (path without `.md`) → note.
    private(set) var notesByID: [String: Int] = [:]
    /// Folded note path (with `.md`) → note, so a link written with `.md` is looked up as is.
    private var notesByPath: [String: Int] = [:]
    /// Folded attachment path → attachment.
    private(set) var attachmentsByPath: [String: Int] = [:]
    /// Folded file name (notes without `.md`, attachments with extension) → files.
    /// Its files sit at `start..<start+count` of `named` (in file order) and of `ranked` (by
    /// the shortest-path rule, ranked once here). A plain value, so a look-up retains nothing
    /// that the threads resolving links in parallel would all touch.
    private var byName: [String: NameFiles] = [:]
    private var named: [Destination] = []
    private var ranked: [Destination] = []
    private struct NameFiles {
        var start: Int
        var count: Int
        var range: Range<Int> { start..<(start + count) }
    }
    private let notePaths: [String]
    private let attachmentPaths: [String]
    /// Folded paths without `.md` (notes) or with extension (attachments), for suffix matches.
    private let noteKeys: [String]
    private let attachmentKeys: [String]
    /// Path lengths (UTF-16 units), for the shortest-path rule.
    private let noteLengths: [Int]
    private let attachmentLengths: [Int]
    private let noteFolders: [String]
    private let attachmentFolders: [String]

    /// The index of notes at `notePaths` (each ending in `.md`, in any case) and attachments.
    init(notePaths: [String], attachments: [(path: String, name: String, folder: String)]) {
        self.notePaths = notePaths
        attachmentPaths = attachments.map(\.path)
        // Folding maps scalar by scalar and never makes or removes a `/`: each note's path is
        // folded once, and its id, folder and name keys are cut from that.
        var noteKeys: [String] = [], noteFolders: [String] = [], names: [String] = [], pathKeys: [String] = []
        noteKeys.reserveCapacity(notePaths.count)
        noteFolders.reserveCapacity(notePaths.count)
        names.reserveCapacity(notePaths.count)
        pathKeys.reserveCapacity(notePaths.count)
        for path in notePaths {
            let pathKey = path.folded
            let idKey = pathKey.utf8.hasMDSuffix ? pathKey.droppingLastBytes(3) : pathKey
            let (folderKey, nameKey) = Vault.splitPath(idKey)
            pathKeys.append(pathKey)
            noteKeys.append(idKey)
            noteFolders.append(folderKey)
            names.append(nameKey)
        }
        self.noteKeys = noteKeys
        self.noteFolders = noteFolders
        attachmentKeys = attachments.map { $0.path.folded }
        // Lengths in UTF-16 units, as JavaScript (and so Obsidian) counts them.
        noteLengths = notePaths.map { $0.utf16.count }
        attachmentLengths = attachments.map { $0.path.utf16.count }
        attachmentFolders = attachments.map { $0.folder.folded }
        notesByID.reserveCapacity(notePaths.count)
        notesByPath.reserveCapacity(notePaths.count)
        var groups: [String: [Destination]] = [:]
        groups.reserveCapacity(notePaths.count + attachments.count)
        // The first note wins a key two spellings share: filled from the last, so the first
        // is written over the others with one look-up each.
        for i in notePaths.indices.reversed() {
            notesByID[noteKeys[i]] = i
            notesByPath[pathKeys[i]] = i
        }
        for i in notePaths.indices { groups[names[i], default: []].append(.note(i)) }
        for (i, a) in attachments.enumerated() {
            let key = attachmentKeys[i]
            if attachmentsByPath[key] == nil { attachmentsByPath[key] = i }
            groups[a.name.folded, default: []].append(.attachment(i))
        }
        byName.reserveCapacity(groups.count)
        named.reserveCapacity(notePaths.count + attachments.count)
        ranked.reserveCapacity(notePaths.count + attachments.count)
        for (name, files) in groups {
            byName[name] = NameFiles(start: named.count, count: files.count)
            named.append(contentsOf: files)
            ranked.append(contentsOf: files.count > 1 ? files.sorted(by: ranksBefore) : files)
        }
    }

    /// The shortest-path rule: fewer UTF-16 units first, then byte order of the paths.
    private func ranksBefore(_ a: Destination, _ b: Destination) -> Bool {
        let la = length(of: a), lb = length(of: b)
        if la != lb { return la < lb }
        return path(of: a).utf8Precedes(path(of: b))
    }

    func path(of d: Destination) -> String {
        switch d {
        case let .note(i): return notePaths[i]
        case let .attachment(i): return attachmentPaths[i]
        case .ghost: return ""
        }
    }

    private func key(of d: Destination) -> String {
        switch d {
        case let .note(i): return noteKeys[i]
        case let .attachment(i): return attachmentKeys[i]
        case .ghost: return ""
        }
    }

    private func length(of d: Destination) -> Int {
        switch d {
        case let .note(i): return noteLengths[i]
        case let .attachment(i): return attachmentLengths[i]
        case .ghost: return 0
        }
    }

    private func folder(of d: Destination) -> String {
        switch d {
        case let .note(i): return noteFolders[i]
        case let .attachment(i): return attachmentFolders[i]
        case .ghost: return ""
        }
    }

    /// A vault path as written (folded), with or without `.md`.
    func exact(_ folded: String) -> Destination? {
        if folded.utf8.hasMDSuffix, let i = notesByPath[folded] { return .note(i) }
        if let i = notesByID[folded] { return .note(i) }
        if let i = attachmentsByPath[folded] { return .attachment(i) }
        return nil
    }

    /// Resolves a link path from a note in `sourceFolder` (as written, not folded).
    func resolve(_ rawPath: String, from sourceFolder: String) -> Resolution {
        var raw = rawPath
        let first = raw.utf8.first
        if first == UInt8(ascii: "."), raw.hasPrefix("./") || raw.hasPrefix("../") || raw == "." || raw == ".." {
            guard let joined = Self.join(sourceFolder, raw) else { return Resolution(escapesVault: true) }
            return Resolution(destination: exact(joined.folded))
        }
        if first == UInt8(ascii: "/") {
            while raw.hasPrefix("/") { raw.removeFirst() }
            return Resolution(destination: exact(raw.folded))
        }
        let folded = raw.folded
        // The usual link, a bare name (`[[trust]]`): one look-up by name answers the exact
        // rule too, since an exact match must then be a file at the root.
        if !folded.utf8.hasMDSuffix, !folded.containsByte(UInt8(ascii: "/")) {
            guard let files = byName[folded] else { return Resolution() }
            if files.count == 1 { return Resolution(destination: named[files.start]) }
            var rootFile: Destination?
            for k in files.range {
                let d = named[k]
                switch d {
                case let .note(i) where noteFolders[i].isEmpty: return Resolution(destination: d)
                case let .attachment(i) where rootFile == nil && attachmentFolders[i].isEmpty: rootFile = d
                default: break
                }
            }
            if let rootFile { return Resolution(destination: rootFile) }
            return choose(among: Array(named[files.range]), ranked: Array(ranked[files.range]), from: sourceFolder)
        }
        if let d = exact(folded) { return Resolution(destination: d) }

        let isNoteOnly = folded.utf8.hasMDSuffix
        let stem = isNoteOnly ? folded.droppingLastBytes(3) : folded
        let slash = stem.utf8.lastIndex(of: UInt8(ascii: "/"))
        let name = slash.map { String(stem[stem.utf8.index(after: $0)...]) } ?? stem
        guard let files = byName[name] else { return Resolution() }
        var candidates = Array(named[files.range])
        var ranked = Array(self.ranked[files.range])
        if isNoteOnly {
            let isNote = { (d: Destination) -> Bool in if case .note = d { return true }; return false }
            candidates = candidates.filter(isNote)
            ranked = ranked.filter(isNote)
        }
        if slash != nil {
            let suffix = "/" + stem
            candidates = candidates.filter { key(of: $0).hasSuffix(suffix) }
            ranked = ranked.filter { key(of: $0).hasSuffix(suffix) }
        }
        return choose(among: candidates, ranked: ranked, from: sourceFolder)
    }

    /// Obsidian's tie-breaks among the files a link's name matches: the only one, else one in
    /// the source note's folder, else the shortest path (then byte order), the rest noted.
    /// `ranked` holds the same files as `candidates`, in the order of `ranksBefore`.
    private func choose(among candidates: [Destination], ranked: [Destination], from sourceFolder: String) -> Resolution {
        switch candidates.count {
        case 0: return Resolution()
        case 1: return Resolution(destination: candidates[0])
        default: break
        }
        let sourceFolded = sourceFolder.folded
        if let local = candidates.first(where: { folder(of: $0) == sourceFolded }) { return Resolution(destination: local) }
        return Resolution(destination: ranked[0], alternatives: Array(ranked.dropFirst()))
    }

    /// Joins a relative path to a folder, resolving `.` and `..`; nil when it climbs above
    /// the root.
    static func join(_ folder: String, _ relative: String) -> String? {
        var parts = folder.isEmpty ? [] : folder.split(separator: "/").map(String.init)
        for seg in relative.split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else {
                parts.append(String(seg))
            }
        }
        return parts.joined(separator: "/")
    }
}

enum HeadingMatch {
    /// Folds heading text for matching: lower case, punctuation and symbols to spaces,
    /// runs of spaces collapsed.
    static func fold(_ s: String) -> String {
        foldASCII(s) ?? foldUnicode(s)
    }

    static func foldUnicode(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for u in s.folded.unicodeScalars {
            let v = u.value
            let keep: Bool
            if v < 0x80 {
                keep = (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
            } else {
                let p = u.properties
                keep = p.isAlphabetic || p.numericType != nil || p.isEmoji && v > 0xFF
            }
            if keep {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(u)
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }

    /// `fold` for ASCII text (most headings), without Unicode property look-ups; nil when
    /// the text is not all ASCII.
    static func foldASCII(_ s: String) -> String? {
        var copy = s
        return copy.withUTF8 { b -> String? in
            for c in b where c >= 0x80 { return nil }
            return String(unsafeUninitializedCapacity: b.count) { out in
                var k = 0
                var pendingSpace = false
                for c in b {
                    let lower = c &- 0x41 < 26 ? c | 0x20 : c
                    if lower &- 0x61 < 26 || lower &- 0x30 < 10 {
                        if pendingSpace && k > 0 { out[k] = 0x20; k += 1 }
                        pendingSpace = false
                        out[k] = lower
                        k += 1
                    } else {
                        pendingSpace = true
                    }
                }
                return k
            }
        }
    }

    /// True when `chain` (`["H1", "H2"]`) names a heading of `headings`, each later part a
    /// heading nested under the one before.
    static func find(_ chain: [String], in headings: [Heading]) -> Bool {
        chain.isEmpty || index(of: chain, in: headings) != nil
    }

    /// The index in `headings` of the heading `chain` names, if any.
    static func index(of chain: [String], in headings: [Heading]) -> Int? {
        guard !chain.isEmpty else { return nil }
        let wanted = chain.map(fold)
        func search(_ from: Int, _ part: Int, _ parentLevel: Int) -> Int? {
            var i = from
            while i < headings.count {
                let h = headings[i]
                if h.level <= parentLevel { return nil }
                if h.key == wanted[part] {
                    if part == wanted.count - 1 { return i }
                    if let found = search(i + 1, part + 1, h.level) { return found }
                }
                i += 1
            }
            return nil
        }
        return search(0, 0, 0)
    }
}
