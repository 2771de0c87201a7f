// Link resolution as Obsidian does it, case-insensitively (Unicode-aware, NFC = NFD):
// an exact vault path wins, else a file in the source note's folder, else the shortest path.
// Path-qualified links may match a path suffix on whole segments; `./`, `../` and `/` forms
// are relative to the source note's folder or the root.

struct Resolution {
    var destination: Destination?
    var alternatives: [Destination] = []
    var escapesVault = false
}

/// Every file's keys and the tables links are resolved through. A class: it is read by every
/// task of the load, and a copy of a struct of its sixteen arrays and tables retained each of
/// them, on both cores at once, once a note. Its `var`s are set only while it is made.
final class FileIndex: @unchecked Sendable {
    /// Every file's key (`KeyArena`): a note's folded path with `.md`, an attachment's with
    /// its extension. A note's id key is its path key without `.md`; a file's name key is the
    /// part after the last `/`; its folder key the part before.
    private let keys: FixedArray<UInt8>
    private var noteKeys: [Range<Int>] = []
    private var attachmentKeys: [Range<Int>] = []
    /// Where each file's name key starts (its folder key ends one byte before, at the `/`).
    private var noteNameStarts: [Int] = []
    private var attachmentNameStarts: [Int] = []
    /// Note id key → note; note path key → note (a link written with `.md` is looked up as
    /// is); attachment path key → attachment. The first file wins a key two spellings share.
    private let notesByID: KeyTable
    private let notesByPath: KeyTable
    private let attachmentsByPath: KeyTable
    /// Name key (notes without `.md`, attachments with extension) → the files of that name,
    /// at `start..<start+count` of `named` (in file order) and of `ranked` (by the
    /// shortest-path rule, ranked once here).
    private let byName: KeyTable
    private var nameFiles: [NameFiles] = []
    private var named: [Destination] = []
    private var ranked: [Destination] = []
    /// Set in a `byName` value that is a name's number in `nameFiles` (a name several files
    /// share); clear when the value is the one file of that name (`file(_:)`).
    private static let sharedName = 1 << 30
    private struct NameFiles {
        var start: Int
        var count: Int
        var range: Range<Int> { start..<(start + count) }
    }
    private let notePaths: [String]
    private let attachmentPaths: [String]
    /// Path lengths (UTF-16 units), for the shortest-path rule.
    private let noteLengths: [Int]
    private let attachmentLengths: [Int]

    /// The index of notes at `notePaths` (each ending in `.md`, in any case) and attachments.
    init(notePaths: [String], attachments: [(path: String, name: String, folder: String)]) {
        self.notePaths = notePaths
        attachmentPaths = attachments.map(\.path)
        let files = notePaths.count + attachments.count
        // A file's number and a shared name's number share a table value with `sharedName`.
        precondition(files < Self.sharedName, "more than 2^30 files")
        var arena = KeyArena(capacity: files * 48)
        var notesByID = KeyTable.Builder(capacity: notePaths.count)
        var notesByPath = KeyTable.Builder(capacity: notePaths.count)
        var attachmentsByPath = KeyTable.Builder(capacity: attachments.count)
        var byName = KeyTable.Builder(capacity: files)
        noteKeys.reserveCapacity(notePaths.count)
        noteNameStarts.reserveCapacity(notePaths.count)
        attachmentKeys.reserveCapacity(attachments.count)
        attachmentNameStarts.reserveCapacity(attachments.count)
        // Folding maps scalar by scalar and never makes or removes a `/` or the `.` of `.md`:
        // each path is folded once, and its id, folder and name keys are ranges of that.
        func nameStart(_ r: Range<Int>, _ arena: KeyArena) -> Int {
            arena.withKey(r) { b in
                var k = b.count
                while k > 0, b[k - 1] != UInt8(ascii: "/") { k -= 1 }
                return r.lowerBound + k
            }
        }
        // A name's group: its number in `nameFiles` (counted below), per file in file order.
        var groupOfFile: [Int] = []
        groupOfFile.reserveCapacity(files)
        for (i, path) in notePaths.enumerated() {
            let key = arena.append(folded: path.folded)
            let isMD = arena.withKey(key) { $0.endsInMD }
            let id = key.lowerBound..<(isMD ? key.upperBound - 3 : key.upperBound)
            let name = nameStart(id, arena)
            noteKeys.append(key)
            noteNameStarts.append(name)
            notesByPath.insert(key, of: arena, value: i)
            notesByID.insert(id, of: arena, value: i)
            groupOfFile.append(byName.insert(name..<id.upperBound, of: arena, value: byName.count))
        }
        for i in attachments.indices {
            let key = arena.append(folded: attachments[i].path.folded)
            let name = nameStart(key, arena)
            attachmentKeys.append(key)
            attachmentNameStarts.append(name)
            attachmentsByPath.insert(key, of: arena, value: i)
            groupOfFile.append(byName.insert(name..<key.upperBound, of: arena, value: byName.count))
        }
        keys = FixedArray(arena.bytes)
        self.notesByID = notesByID.build()
        self.notesByPath = notesByPath.build()
        self.attachmentsByPath = attachmentsByPath.build()
        // Each name's files, in file order (notes, then attachments), one range per name.
        var counts = [Int](repeating: 0, count: byName.count)
        var only = [Int](repeating: 0, count: byName.count)
        for (f, g) in groupOfFile.enumerated() {
            counts[g] += 1
            only[g] = f
        }
        var start = 0
        nameFiles = counts.map { c in
            defer { start += c }
            return NameFiles(start: start, count: c)
        }
        // A name only one file has (nearly every name) is filed with that file itself: its
        // look-up then reads nothing more.
        self.byName = byName.build { g in counts[g] == 1 ? only[g] : g | Self.sharedName }
        var next = nameFiles.map(\.start)
        named = [Destination](repeating: .ghost(-1), count: files)
        for (f, g) in groupOfFile.enumerated() {
            named[next[g]] = Self.file(f, notes: notePaths.count)
            next[g] += 1
        }
        noteLengths = notePaths.map { $0.utf16.count }
        attachmentLengths = attachments.map { $0.path.utf16.count }
        var order = named
        for files in nameFiles where files.count > 1 { order[files.range].sort(by: ranksBefore) }
        ranked = order
    }

    /// File number `f`: notes first, then attachments.
    private static func file(_ f: Int, notes: Int) -> Destination {
        f < notes ? .note(f) : .attachment(f - notes)
    }

    private func file(_ f: Int) -> Destination { Self.file(f, notes: notePaths.count) }

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

    /// A file's key without `.md` for notes (with extension for attachments).
    private func key(of d: Destination) -> Range<Int> {
        switch d {
        case let .note(i):
            let k = noteKeys[i]
            return k.lowerBound..<(keys[k].endsInMD ? k.upperBound - 3 : k.upperBound)
        case let .attachment(i): return attachmentKeys[i]
        case .ghost: return 0..<0
        }
    }

    /// A file's folder key (empty at the root).
    private func folderKey(of d: Destination) -> Range<Int> {
        switch d {
        case let .note(i): return noteKeys[i].lowerBound..<max(noteKeys[i].lowerBound, noteNameStarts[i] - 1)
        case let .attachment(i): return attachmentKeys[i].lowerBound..<max(attachmentKeys[i].lowerBound, attachmentNameStarts[i] - 1)
        case .ghost: return 0..<0
        }
    }

    private func length(of d: Destination) -> Int {
        switch d {
        case let .note(i): return noteLengths[i]
        case let .attachment(i): return attachmentLengths[i]
        case .ghost: return 0
        }
    }

    /// A vault path as written, with or without `.md`, in any case.
    func exact(_ path: String) -> Destination? {
        var key = path.nameKey
        return key.withUTF8 { exact(key: $0, hash: $0.keyHash) }
    }

    private func exact(key: UnsafeBufferPointer<UInt8>, hash: Int) -> Destination? {
        if key.endsInMD, let i = notesByPath.find(key, hash: hash, in: keys) { return .note(i) }
        if let i = notesByID.find(key, hash: hash, in: keys) { return .note(i) }
        if let i = attachmentsByPath.find(key, hash: hash, in: keys) { return .attachment(i) }
        return nil
    }

    /// Resolves a link path from a note in `sourceFolder` (as written, not folded).
    func resolve(_ rawPath: String, from sourceFolder: String) -> Resolution {
        var raw = rawPath
        let first = raw.utf8.first
        if first == UInt8(ascii: "."), raw.hasPrefix("./") || raw.hasPrefix("../") || raw == "." || raw == ".." {
            guard let joined = Self.join(sourceFolder, raw) else { return Resolution(escapesVault: true) }
            return Resolution(destination: exact(joined))
        }
        if first == UInt8(ascii: "/") {
            while raw.hasPrefix("/") { raw.removeFirst() }
            return Resolution(destination: exact(raw))
        }
        // A name of ASCII and CJK ideographs (nearly every link) is folded into a buffer on
        // the stack; any other gets its key made as a string.
        let resolution = raw.withUTF8 { b -> Resolution? in
            var upper = false
            var i = 0
            while i < b.count {
                let c = b[i]
                if c >= 0x80 {
                    // U+4000 to U+9FFF (CJK Extension A, the Yijing hexagrams, the unified
                    // ideographs): three bytes led by E4 to E9. They have no case and are
                    // their own NFC, so they are their own key.
                    guard c &- 0xE4 < 6, i + 2 < b.count, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 else {
                        return nil
                    }
                    i += 3
                    continue
                }
                if c &- 0x41 < 26 { upper = true }
                i += 1
            }
            guard upper else { return resolve(key: b, from: sourceFolder) }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.count) { out in
                for k in 0..<b.count { out[k] = b[k] &- 0x41 < 26 ? b[k] | 0x20 : b[k] }
                return resolve(key: UnsafeBufferPointer(out), from: sourceFolder)
            }
        }
        if let resolution { return resolution }
        var key = raw.nameKey
        return key.withUTF8 { resolve(key: $0, from: sourceFolder) }
    }

    private func resolve(key: UnsafeBufferPointer<UInt8>, from sourceFolder: String) -> Resolution {
        let isNoteOnly = key.endsInMD
        let slash = key.lastIndex(of: UInt8(ascii: "/"))
        // The usual link, a bare name (`[[trust]]`): one look-up by name answers the exact
        // rule too, since an exact match must then be a file at the root.
        if !isNoteOnly, slash == nil {
            guard let v = byName.find(key, hash: key.keyHash, in: keys) else { return Resolution() }
            guard v & Self.sharedName != 0 else { return Resolution(destination: file(v)) }
            let files = nameFiles[v ^ Self.sharedName]
            var rootFile: Destination?
            for k in files.range {
                let d = named[k]
                guard folderKey(of: d).isEmpty else { continue }
                if case .note = d { return Resolution(destination: d) }
                if rootFile == nil { rootFile = d }
            }
            if let rootFile { return Resolution(destination: rootFile) }
            return choose(among: Array(named[files.range]), ranked: Array(ranked[files.range]), from: sourceFolder)
        }
        if let d = exact(key: key, hash: key.keyHash) { return Resolution(destination: d) }

        let stem = UnsafeBufferPointer(rebasing: key[0..<(isNoteOnly ? key.count - 3 : key.count)])
        let nameStart = stem.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        let name = UnsafeBufferPointer(rebasing: stem[nameStart...])
        guard let v = byName.find(name, hash: name.keyHash, in: keys) else { return Resolution() }
        let (named, ranked) = v & Self.sharedName == 0
            ? ([file(v)], [file(v)])
            : (Array(self.named[nameFiles[v ^ Self.sharedName].range]), Array(self.ranked[nameFiles[v ^ Self.sharedName].range]))
        // A path-qualified link matches a file whose key ends in `/` and the link's stem.
        let keep = { (d: Destination) -> Bool in
            if isNoteOnly, case .attachment = d { return false }
            guard nameStart > 0 else { return true }
            let k = self.keys[self.key(of: d)]
            return k.count > stem.count && k[k.count - stem.count - 1] == UInt8(ascii: "/")
                && UnsafeBufferPointer(rebasing: k[(k.count - stem.count)...]).equals(stem)
        }
        return choose(among: named.filter(keep), ranked: ranked.filter(keep), from: sourceFolder)
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
        var source = sourceFolder.nameKey
        let local = source.withUTF8 { source in candidates.first { keys[folderKey(of: $0)].equals(source) } }
        if let local { return Resolution(destination: local) }
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
        // Built as UTF-8 bytes (appending to a `String.UnicodeScalarView` costs hundreds of
        // instructions a scalar); the kept scalars are valid, so the decode changes nothing.
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for u in s.folded.unicodeScalars {
            let v = u.value
            let keep: Bool
            if v < 0x80 {
                keep = (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
            } else if isCommonLetter(v) {
                keep = true
            } else {
                let p = u.properties
                keep = p.isAlphabetic || p.numericType != nil || p.isEmoji && v > 0xFF
            }
            if keep {
                if pendingSpace && !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append(contentsOf: u.utf8)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a heading folds to `key` (a folded text): an ASCII heading is folded byte by
    /// byte against the key, with nothing allocated; another has its fold already.
    static func folds(_ heading: Heading, to key: String) -> Bool {
        if let unicodeKey = heading.unicodeKey { return unicodeKey == key }
        var text = heading.text, key = key
        return text.withUTF8 { t in
            key.withUTF8 { k in
                var i = 0
                let whole = forEachFoldedASCII(t) { c in
                    guard i < k.count, k[i] == c else { return false }
                    i += 1
                    return true
                }
                return whole && i == k.count
            }
        }
    }

    /// The bytes of `fold` of ASCII text, one by one to `body`, until it returns false;
    /// false when it did.
    @inline(__always)
    static func forEachFoldedASCII(_ b: UnsafeBufferPointer<UInt8>, _ body: (UInt8) -> Bool) -> Bool {
        var started = false, pendingSpace = false
        for c in b {
            let lower = c &- 0x41 < 26 ? c | 0x20 : c
            if lower &- 0x61 < 26 || lower &- 0x30 < 10 {
                if pendingSpace && started { guard body(0x20) else { return false } }
                pendingSpace = false
                started = true
                guard body(lower) else { return false }
            } else {
                pendingSpace = true
            }
        }
        return true
    }

    /// Blocks whose every scalar is a letter (`isAlphabetic`), so the property look-up (most
    /// of the cost of folding a heading in another script) is skipped: Latin-1's and Latin
    /// Extended's letters, Greek and Cyrillic capitals and small letters, kana, CJK ideographs
    /// and Hangul syllables. A test checks each range against the property.
    static let commonLetterRanges: [ClosedRange<UInt32>] = [
        0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F, 0x391...0x3A1, 0x3A3...0x3A9, 0x3B1...0x3C9,
        0x410...0x44F, 0x3041...0x3096, 0x30A1...0x30FA, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
    ]

    @inline(__always) static func isCommonLetter(_ v: UInt32) -> Bool {
        if v <= 0x24F { return v >= 0xC0 && v != 0xD7 && v != 0xF7 }
        if v >= 0x4E00 { return v <= 0x9FFF || (v >= 0xAC00 && v <= 0xD7A3) }
        return (v >= 0x3041 && v <= 0x3096) || (v >= 0x30A1 && v <= 0x30FA) || (v >= 0x410 && v <= 0x44F)
            || (v >= 0x391 && v <= 0x3C9 && v != 0x3A2 && (v <= 0x3A9 || v >= 0x3B1))
    }

    /// `fold` for ASCII text (most headings), without Unicode property look-ups; nil when
    /// the text is not all ASCII.
    static func foldASCII(_ s: String) -> String? {
        var copy = s
        return copy.withUTF8 { b -> String? in
            for c in b where c >= 0x80 { return nil }
            return String(unsafeUninitializedCapacity: b.count) { out in
                var k = 0
                _ = forEachFoldedASCII(b) { c in
                    out[k] = c
                    k += 1
                    return true
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
        // One heading (the usual link): the first with that text, at any level.
        if chain.count == 1 {
            let wanted = fold(chain[0])
            return headings.firstIndex { folds($0, to: wanted) }
        }
        let wanted = chain.map(fold)
        func search(_ from: Int, _ part: Int, _ parentLevel: Int) -> Int? {
            var i = from
            while i < headings.count {
                let h = headings[i]
                if h.level <= parentLevel { return nil }
                if folds(h, to: wanted[part]) {
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
