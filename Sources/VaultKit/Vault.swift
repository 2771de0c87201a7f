import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An immutable snapshot of a loaded vault: notes, attachments and ghost nodes as arrays
/// indexed by small integers, with links resolved, backlinks, tags and diagnostics.
/// Reloading builds a new snapshot.
public struct Vault: Sendable {
    /// The vault folder as given.
    public let root: String
    public let notes: [Note]
    public let attachments: [Attachment]
    public let ghosts: [Ghost]
    /// For each note, the links that point at it (body and frontmatter), in note order.
    public let backlinks: [[LinkRef]]
    public let attachmentBacklinks: [[LinkRef]]
    public let ghostBacklinks: [[LinkRef]]
    /// The nested tag tree: a root without a name whose children are the top-level tags.
    public let tagTree: TagNode
    /// Every problem `check` reports, sorted by place. Found on first use (`check`, `stats`):
    /// reading and browsing never need them, so a load does not pay for them.
    public var diagnostics: [Diagnostic] { problems.all(of: self) }
    /// What the scan and the reads found (unreadable files, skipped links), known at load.
    let loadProblems: [Diagnostic]
    private let problems: LazyDiagnostics
    /// Seconds spent loading (scan, read, parse, resolve, index).
    public let loadSeconds: Double
    /// Where the load time went.
    public let timings: LoadTimings

    let files: FileIndex
    /// Folded alias → notes that carry it.
    let aliasIndex: [String: [Int]]
    let ghostIndex: [String: Int]

    // MARK: Loading

    /// Loads the vault at `root`. Files that cannot be read, decoded or parsed are reported
    /// in `diagnostics`; only a missing or unreadable root throws.
    /// `progress` is called from the loading threads with the count of files read so far.
    public static func load(at root: String, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(VaultError) -> Vault {
        try load(at: root, progress: progress, reader: nil)
    }

    /// A new snapshot of `previous`'s folder after files changed. The folder is scanned again
    /// (so new, moved and deleted files count); notes named in `changed`, new notes and notes
    /// that could not be read before are read and parsed; every other note is taken from
    /// `previous` as parsed then. Links are resolved again across the whole vault, so
    /// backlinks, tags, ghosts and the finder follow.
    public static func reload(_ previous: Vault, changed: Set<String>) throws(VaultError) -> Vault {
        var old: [String: Note] = [:]
        for n in previous.notes where old[n.path] == nil { old[n.path] = n }
        let unreadable = Set(previous.loadProblems.filter { $0.kind == .unreadable }.map(\.path))
        let reusable = old.filter { !changed.contains($0.key) && !unreadable.contains($0.key) }
        return try load(at: previous.root, progress: nil, reader: nil) { path in
            reusable[path]?.clearingResolution()
        }
    }

    /// `reader` (given a vault-relative path) is replaceable so tests can make a file fail or
    /// vanish mid-load; by default files are read relative to the vault folder, opened once.
    /// `reuse` returns a note already parsed (for `reload`).
    static func load(at root: String, progress: (@Sendable (Int, Int) -> Void)?,
                     reader custom: (@Sendable (String) -> Result<[UInt8], Scanner.ReadFailure>)?,
                     reuse: (@Sendable (String) -> Note?)? = nil,
                     options: LoadOptions = LoadOptions()) throws(VaultError) -> Vault {
        let started = monotonicSeconds()
        var timings = LoadTimings()
        // Opening each note relative to the open vault folder saves the kernel walking the
        // folder's own path again for every file.
        let folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let folderFailure = folder < 0 ? Scanner.ReadFailure(message: String(cString: strerror(errno))) : nil
        defer { if folder >= 0 { close(folder) } }
        /// A note read and parsed, and why it could not be read, if it could not. Each task
        /// reads into its own scratch buffer, reused note after note.
        @Sendable func readNote(_ file: ScannedFile, _ scratch: ParseScratch) -> (note: Note, failure: String?) {
            let failure: Scanner.ReadFailure?
            if let custom {
                switch custom(file.path) {
                case let .success(bytes): scratch.bytes = bytes; failure = nil
                case let .failure(f): failure = f
                }
            } else {
                failure = folderFailure ?? Scanner.read(file, root: folder, into: &scratch.bytes)
            }
            if let failure { return (makeNote(file.path, ParsedNote(), folder: file.folderPath), failure.message) }
            return (makeNote(file.path, NoteParser.parse(scratch.bytes, scratch: scratch), folder: file.folderPath), nil)
        }
        // The walk runs on one core: another reads the notes it has found meanwhile.
        let early = reuse == nil ? EarlyReader(readNote) : nil
        // The folders the walk lists stay open until the load ends (`Scanner.Folders`).
        let folders = Scanner.Folders(limit: options.folderLimit)
        defer { folders.close() }
        let files: [ScannedFile], scanIssues: [ScanIssue]
        do {
            // Handed over in batches, so the walk takes the reader's lock rarely.
            var batch: [ScannedFile] = []
            (files, scanIssues) = try Scanner.scan(root: root, folders: custom == nil ? folders : nil) { file in
                guard let early else { return }
                batch.append(file)
                if batch.count == 32 {
                    early.add(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if options.readAllEarly, !batch.isEmpty { early?.add(batch) }
        } catch {
            _ = early?.stop()
            throw error
        }
        let read = early?.stop(finishing: options.readAllEarly) ?? []
        let noteFiles = files.filter(\.isNote)
        let attachmentFiles = files.filter { !$0.isNote }
        let attachments = attachmentFiles.map { f -> Attachment in
            let (folder, name) = splitPath(f.path)
            return Attachment(path: f.path, name: name, folder: folder)
        }
        timings.scan = monotonicSeconds() - started

        // The file index needs only the paths: it is built while the first notes are parsed,
        // and every note parsed after it is ready has its links resolved at once, while they
        // are still in the cache (the others are resolved after the parse).
        let index = Deferred { fileIndex(notePaths: noteFiles.map(\.path), attachments: attachments) }

        // Read and parse every note in parallel. A file that cannot be read is an empty note
        // and its reason is kept (each task writes only its own slots).
        let failures = SlotBuffer<String?>(count: noteFiles.count, nil)
        let resolved = SlotBuffer<ResolvedLinks?>(count: noteFiles.count, nil)
        let parts = NoteParts.Slots(count: noteFiles.count)
        let notes = parallelMap(Array(noteFiles.indices), progress: progress, state: ParseScratch.init) { scratch, i -> Note in
            let file = noteFiles[i]
            var note: Note
            if let reused = reuse?(file.path) {
                note = reused
            } else {
                let (made, failure) = file.order < read.count ? read[file.order] : readNote(file, scratch)
                note = made
                if let failure { failures[i] = failure }
            }
            if let files = options.resolveAllInParse ? index.pointer : index.ready {
                resolved[i] = resolveLinks(of: &note, number: i, files: files.pointee)
            }
            parts.fill(i, from: note)
            return note
        }
        var diagnostics: [Diagnostic] = scanIssues.map(Diagnostic.init)
        for (file, failure) in zip(noteFiles, failures.values) {
            if let failure {
                diagnostics.append(Diagnostic(kind: .unreadable, path: file.path, message: "cannot read: \(failure)"))
            }
        }
        timings.parse = monotonicSeconds() - started - timings.scan
        return build(root: root, notes: consume notes, attachments: attachments, extraDiagnostics: diagnostics,
                     files: index.value, resolved: resolved.take(), parts: parts.take(), started: started, timings: timings)
    }

    /// Builds a vault from notes given as text (for tests and tools): `[path: contents]`.
    public static func make(notes sources: [String: String], attachments: [String] = [], root: String = "") -> Vault {
        make(files: sources.mapValues { Array($0.utf8) }, attachments: attachments, root: root)
    }

    /// Builds a vault from notes given as raw bytes, read exactly as files on disk would be
    /// (a byte order mark, invalid UTF-8 and NUL bytes included): `[path: bytes]`.
    public static func make(files sources: [String: [UInt8]], attachments: [String] = [], root: String = "") -> Vault {
        let started = monotonicSeconds()
        let paths = sources.keys.sorted { $0.utf8Precedes($1) }
        let notes = paths.map { makeNote($0, NoteParser.parse(sources[$0]!)) }
        let atts = attachments.sorted().map { p -> Attachment in
            let (folder, name) = splitPath(p)
            return Attachment(path: p, name: name, folder: folder)
        }
        return build(root: root, notes: consume notes, attachments: atts, extraDiagnostics: [], started: started,
                     timings: LoadTimings())
    }

    static func splitPath(_ path: String) -> (folder: String, name: String) {
        let u = path.utf8
        guard let slash = u.lastIndex(of: UInt8(ascii: "/")) else { return ("", path) }
        return (String(path[..<slash]), String(path[u.index(after: slash)...]))
    }

    /// The index of every file, for resolution: it needs only the paths.
    private static func fileIndex(notePaths: [String], attachments: [Attachment]) -> FileIndex {
        FileIndex(notePaths: notePaths, attachments: attachments.map { ($0.path, $0.name, $0.folder) })
    }

    /// A note's id (path without `.md`), name (file name without `.md`) and folder; the
    /// folder is `known` when given (the scan's, one string for all the notes in it).
    private static func noteNames(_ path: String, folder known: String?) -> (id: String, name: String, folder: String) {
        // Byte offsets of the last `/` and of the name's end, found once; the parts are then
        // copied from the path's bytes (cut at ASCII bytes, so whole scalars) without being
        // validated again. The id is the path itself when it has no `.md`.
        var copy = path
        return copy.withUTF8 { b in
            var slash = b.count - 1
            while slash >= 0, b[slash] != UInt8(ascii: "/") { slash -= 1 }
            let md = b.count - slash - 1 > 3 && path.utf8.hasMDSuffix
            let stem = md ? b.count - 3 : b.count
            let id = md ? stringOfValidUTF8(UnsafeBufferPointer(rebasing: b[0..<stem])) : path
            guard slash >= 0 else { return (id, id, "") }
            return (id, stringOfValidUTF8(UnsafeBufferPointer(rebasing: b[(slash + 1)..<stem])),
                    known ?? stringOfValidUTF8(UnsafeBufferPointer(rebasing: b[0..<slash])))
        }
    }

    private static func makeNote(_ path: String, _ p: consuming ParsedNote, folder known: String? = nil) -> Note {
        let (id, name, folder) = noteNames(path, folder: known)
        return Note(
            id: id, path: path, name: name, title: p.title ?? name, folder: folder,
            aliases: p.aliases, tagOccurrences: p.tags, properties: p.properties,
            frontmatterError: p.frontmatterError, hasFrontmatter: p.hasFrontmatter, hasBOM: p.hasBOM,
            invalidUTF8: p.invalidUTF8, hasNUL: p.hasNUL, headings: p.headings, blockIDs: p.blockIDs, links: p.links,
            externalLinks: p.externalLinks, text: p.text, bodyStartLine: p.bodyStartLine,
            byteCount: p.text.utf8.count)
    }

    private static func build(root: String, notes inputNotes: consuming [Note], attachments: [Attachment],
                              extraDiagnostics: [Diagnostic], files prepared: FileIndex? = nil,
                              resolved: [ResolvedLinks?]? = nil, parts given: NoteParts? = nil, started: Double,
                              timings: LoadTimings) -> Vault {
        var timings = timings
        let resolveStarted = monotonicSeconds()
        var notes = inputNotes
        let files = prepared ?? fileIndex(notePaths: notes.map(\.path), attachments: attachments)
        // The alias index and the tag tree need only each note's aliases and tags: they are
        // built on another thread while the links are resolved and the backlinks gathered.
        let parts = given ?? NoteParts(notes)
        let noteAliases = parts.aliases, noteTags = parts.tags
        let aliases = Deferred { () -> [String: [Int]] in
            var index: [String: [Int]] = [:]
            for i in noteAliases.indices {
                for a in noteAliases[i] { index[a.folded, default: []].append(i) }
            }
            return index
        }
        let tree = Deferred { TagNode.build(noteTags) }

        // Resolve every link not resolved yet; notes are independent, so this runs in
        // parallel. Unresolved links get their ghost key here and their ghost number below,
        // in note order.
        let resolution = resolveLinks(&notes, files: files, resolved: resolved, headings: parts.headings,
                                      blockIDs: parts.blockIDs)

        // Every link's destination is copied into one flat list (note i's from `starts[i]`),
        // read from then on instead of the links (large values all over memory), and the
        // links to each note are counted, so each backlink list is allocated once at its size.
        var noteCounts = [Int](repeating: 0, count: notes.count)
        var flat: [Destination] = []
        flat.reserveCapacity(resolution.reduce(0) { $0 + $1.targets.count })
        var starts: [Int] = []
        starts.reserveCapacity(notes.count + 1)
        for r in resolution {
            starts.append(flat.count)
            for d in r.targets {
                flat.append(d)
                if case let .note(t) = d { noteCounts[t] += 1 }
            }
        }
        starts.append(flat.count)
        // Ghosts are numbered in note order, and the lists of attachments and ghosts filled,
        // on another thread while the notes' lists are gathered.
        let others = Deferred { [flat, starts] in
            otherBacklinks(flat, starts: starts, resolution: resolution, attachments: attachments.count)
        }
        let backlinks = noteBacklinks(flat, starts: starts, counts: noteCounts)
        let (ghosts, ghostIndex, ghostBacklinks, attachmentBacklinks) = others.value
        // An unresolved link whose text is exactly one note's alias points the reader there.
        let aliasIndex = aliases.value
        for g in ghosts.indices {
            let owners = aliasIndex[ghosts[g].key] ?? []
            let aliasOf = !owners.isEmpty && owners.allSatisfy({ $0 == owners[0] }) ? owners[0] : nil
            for ref in ghostBacklinks[g] {
                notes[ref.note].links[ref.link].destination = .ghost(g)
                notes[ref.note].links[ref.link].aliasOf = aliasOf
            }
        }
        timings.resolve = monotonicSeconds() - resolveStarted
        let indexStarted = monotonicSeconds()

        let tagTree = tree.value
        timings.index = monotonicSeconds() - indexStarted
        timings.total = monotonicSeconds() - started
        return Vault(
            root: root, notes: notes, attachments: attachments, ghosts: ghosts, backlinks: backlinks,
            attachmentBacklinks: attachmentBacklinks, ghostBacklinks: ghostBacklinks, tagTree: tagTree,
            loadProblems: extraDiagnostics, problems: LazyDiagnostics(), loadSeconds: timings.total,
            timings: timings, files: files, aliasIndex: aliasIndex, ghostIndex: ghostIndex)
    }

    /// Each note's backlinks, in note order, from every link's destination (`flat`, note i's
    /// from `starts[i]`), gathered in parallel: each task fills the lists of a range of notes.
    private static func noteBacklinks(_ flat: [Destination], starts: [Int], counts: [Int]) -> [[LinkRef]] {
        var lists = [[LinkRef]](repeating: [], count: counts.count)
        let parts = min(max(1, counts.count / 1_000), ProcessInfoLite.activeProcessorCount)
        lists.withUnsafeMutableBufferPointer { buffer in
            flat.withUnsafeBufferPointer { links in
                // Plain pointers: the tasks read `flat` without retaining it, and each writes
                // only the lists of its own range.
                let lists = UnsafeSendable(buffer), flat = UnsafeSendable(links)
                DispatchQueue.concurrentPerform(iterations: parts) { p in
                    let mine = (p * counts.count / parts)..<((p + 1) * counts.count / parts)
                    for t in mine { lists.value[t].reserveCapacity(counts[t]) }
                    for i in 0..<(starts.count - 1) {
                        for j in starts[i]..<starts[i + 1] {
                            if case let .note(t) = flat.value[j], mine.contains(t) {
                                lists.value[t].append(LinkRef(note: i, link: j - starts[i]))
                            }
                        }
                    }
                }
            }
        }
        return lists
    }

    /// The ghost nodes, numbered in note order, and the backlinks of attachments and ghosts.
    private static func otherBacklinks(_ flat: [Destination], starts: [Int], resolution: [ResolvedLinks], attachments: Int)
        -> (ghosts: [Ghost], index: [String: Int], ghostBacklinks: [[LinkRef]], attachmentBacklinks: [[LinkRef]]) {
        var ghosts: [Ghost] = [], index: [String: Int] = [:], ghostBacklinks: [[LinkRef]] = []
        var attachmentBacklinks = [[LinkRef]](repeating: [], count: attachments)
        for i in resolution.indices {
            var unresolved = resolution[i].ghosts.makeIterator()
            for j in starts[i]..<starts[i + 1] {
                let ref = LinkRef(note: i, link: j - starts[i])
                switch flat[j] {
                case .note: break
                case let .attachment(t): attachmentBacklinks[t].append(ref)
                case .ghost:
                    let (key, name) = unresolved.next()!
                    let g: Int
                    if let existing = index[key] {
                        g = existing
                    } else {
                        g = ghosts.count
                        index[key] = g
                        ghosts.append(Ghost(key: key, name: name))
                        ghostBacklinks.append([])
                    }
                    ghostBacklinks[g].append(ref)
                }
            }
        }
        return (ghosts, index, ghostBacklinks, attachmentBacklinks)
    }

    /// Resolves the links of every note not in `resolved` in place, in parallel, then checks
    /// the headings and blocks links name. Returns what each note's links resolved to.
    private static func resolveLinks(_ notes: inout [Note], files: FileIndex, resolved: [ResolvedLinks?]?,
                                     headings: [[Heading]], blockIDs: [[BlockID]]) -> [ResolvedLinks] {
        guard !notes.isEmpty else { return [] }
        return notes.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeSendable(buffer.baseAddress!)
            let keys = parallelMap(Array(buffer.indices), progress: nil) { i -> ResolvedLinks in
                if let done = resolved?[i] { return done }
                return resolveLinks(of: &base.value[i], number: i, files: files)
            }
            let checks = keys.indices.filter { keys[$0].hasSubpaths }
            // Each task writes only its own note's links, and reads other notes' headings and
            // block ids from lists of their own (reading them through the notes would retain
            // and release them on every core at once).
            let n = checks.count, chunks = min(n, ProcessInfoLite.activeProcessorCount * 8)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for i in checks[(c * n / chunks)..<((c + 1) * n / chunks)] {
                    let note = base.value + i
                    note.pointee.links.withUnsafeMutableBufferPointer { links in
                        for k in links.indices where !links[k].subpath.isEmpty {
                            guard case let .note(t) = links[k].destination else { continue }
                            links[k].subpathFound = Note.has(subpath: links[k].subpath, headings: headings[t], blockIDs: blockIDs[t])
                        }
                    }
                }
            }
            return keys
        }
    }

    /// Resolves one note's links in place (all but their subpaths, which need the other
    /// notes parsed).
    private static func resolveLinks(of note: inout Note, number i: Int, files: FileIndex) -> ResolvedLinks {
        var ghosts: [(key: String, name: String)] = []
        var targets: [Destination] = []
        targets.reserveCapacity(note.links.count)
        var hasSubpaths = false
        let folder = note.folder
        // Each link is changed where it lies (a copy of it would retain and release all its
        // strings).
        note.links.withUnsafeMutableBufferPointer { links in
            for k in links.indices {
                let path = links[k].path
                let r = path.isEmpty ? Resolution(destination: .note(i)) : files.resolve(path, from: folder)
                links[k].escapesVault = r.escapesVault
                if !r.alternatives.isEmpty { links[k].alternatives = r.alternatives }
                let d = r.destination ?? .ghost(-1)
                if !links[k].subpath.isEmpty, case .note = d { hasSubpaths = true }
                if case .ghost = d { ghosts.append((path.folded, path)) }
                links[k].destination = d
                targets.append(d)
            }
        }
        return ResolvedLinks(targets: targets, ghosts: ghosts, hasSubpaths: hasSubpaths)
    }

    // MARK: Queries

    /// The vault-relative path a destination names ("" for a ghost).
    public func path(of d: Destination) -> String {
        switch d {
        case let .note(i): return notes[i].path
        case let .attachment(i): return attachments[i].path
        case let .ghost(i): return ghosts[i].name
        }
    }

    /// The link a reference names.
    public func link(_ ref: LinkRef) -> Link { notes[ref.note].links[ref.link] }

    /// Backlinks of any destination.
    public func backlinks(of d: Destination) -> [LinkRef] {
        switch d {
        case let .note(i): return backlinks[i]
        case let .attachment(i): return attachmentBacklinks[i]
        case let .ghost(i): return ghostBacklinks[i]
        }
    }

    /// Resolves `target` as a link written in a note at the vault root would.
    public func resolve(_ target: String) -> Destination? {
        let path = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        return files.resolve(path.trimmingSpaces, from: "").destination
    }

    /// Notes whose aliases include `alias` (case-insensitive).
    public func notes(withAlias alias: String) -> [Int] { aliasIndex[alias.folded] ?? [] }

    /// The ghost node for an unresolved target, if any link wants it.
    public func ghost(named name: String) -> Int? { ghostIndex[name.folded] }

    /// Notes with no links in or out (resolved ones).
    public var orphans: [Int] {
        notes.indices.filter { i in
            backlinks[i].allSatisfy({ $0.note == i }) && !notes[i].links.contains { link in
                if case let .note(t) = link.destination { return t != i }
                if case .attachment = link.destination { return true }
                return false
            }
        }
    }
}

/// What one note's links resolved to: each link's destination (ghosts numbered later) and
/// the unresolved ones' targets.
struct ResolvedLinks: Sendable {
    var targets: [Destination]
    /// Each unresolved link's ghost key and target as written, in order.
    var ghosts: [(key: String, name: String)]
    /// Some link names a heading or block of the note it resolved to.
    var hasSubpaths: Bool
}

/// A value computed on another thread from the moment it is made; `value` waits for it.
/// The value is made on the work's thread and read by whoever asks, so it must be `Sendable`.
public final class Deferred<T: Sendable>: @unchecked Sendable {
    /// What the work's thread shares with this object. The work, and all it captured (a
    /// whole vault, say), is let go before the value is ready, and the value is destroyed
    /// where this object is (not on the work's thread, late): whoever waits for it never
    /// races a release on the other thread.
    private final class Shared: @unchecked Sendable {
        /// Written once, by the work, before `done` is signalled.
        let result = UnsafeMutablePointer<T>.allocate(capacity: 1)
        let done = DispatchSemaphore(value: 0)
        let finished = Atomic<Bool>(false)
        private var work: (@Sendable () -> T)?
        init(_ work: @escaping @Sendable () -> T) { self.work = work }
        func run() {
            do {
                let work = self.work!
                self.work = nil
                result.initialize(to: work())
            }
            finished.store(true, ordering: .releasing)
            done.signal()
        }
    }
    private let shared: Shared

    public init(_ work: @escaping @Sendable () -> T) {
        let shared = Shared(work)
        self.shared = shared
        DispatchQueue.global().async { shared.run() }
    }

    deinit {
        shared.done.wait()
        shared.result.deinitialize(count: 1)
        shared.result.deallocate()
    }

    /// Waits for the value (any number of times).
    public var value: T {
        shared.done.wait()
        defer { shared.done.signal() }
        return shared.result.pointee
    }

    /// The value in place when it is ready, without waiting and without copying it (a copy
    /// would retain everything it holds); valid while this object lives.
    var ready: UnsafePointer<T>? { shared.finished.load(ordering: .acquiring) ? UnsafePointer(shared.result) : nil }

    /// The value in place, once it is ready (this waits); valid while this object lives.
    var pointer: UnsafePointer<T> {
        shared.done.wait()
        defer { shared.done.signal() }
        return UnsafePointer(shared.result)
    }
}

/// Ways to load that reach each path of the pipeline whatever the timing, for tests.
struct LoadOptions: Sendable {
    /// Every note is read by the early reader: the walk hands it its last notes too, and
    /// waits for it to read them all.
    var readAllEarly = false
    /// Every parse task waits for the file index and resolves its own note's links.
    var resolveAllInParse = false
    /// How many folders the scan may hold open for reading (`Scanner.Folders`); nil for the
    /// share of the process's limit it takes by default.
    var folderLimit: Int? = nil
}

/// Reads notes on another thread while the walk of the vault finds them: `add` hands it
/// paths, `stop` waits for the note it is reading (or for all, when finishing) and returns
/// those read, in the order added.
final class EarlyReader: Sendable {
    private struct State {
        var pending: [ScannedFile] = []
        var taken = 0
        var stopped = false
        /// Read everything added before stopping.
        var finishing = false
        var done: [(note: Note, failure: String?)] = []
    }
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(_ read: @escaping @Sendable (ScannedFile, ParseScratch) -> (note: Note, failure: String?)) {
        DispatchQueue.global().async { [self] in
            let scratch = ParseScratch()
            // Each signal says paths were added (or `stop`): read until none is left.
            reading: while true {
                wake.wait()
                while true {
                    // The next file, nil when there is none, or stop.
                    let next: ScannedFile?? = state.withLock { s in
                        if s.stopped, !s.finishing || s.taken == s.pending.count { return .none }
                        guard s.taken < s.pending.count else { return .some(nil) }
                        s.taken += 1
                        return s.pending[s.taken - 1]
                    }
                    guard let next else { break reading }
                    guard let file = next else { break }
                    let note = read(file, scratch)
                    state.withLock { $0.done.append(note) }
                }
            }
            finished.signal()
        }
    }

    func add(_ files: [ScannedFile]) {
        state.withLock { $0.pending.append(contentsOf: files) }
        wake.signal()
    }

    /// The notes read so far (all of them when `finishing`), the first ones added; the rest
    /// are left to the caller.
    func stop(finishing: Bool = false) -> [(note: Note, failure: String?)] {
        state.withLock {
            $0.stopped = true
            $0.finishing = finishing
        }
        wake.signal()
        finished.wait()
        return state.withLock { $0.done }
    }
}

/// A fixed number of slots that parallel tasks fill, each writing only its own.
final class SlotBuffer<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T>

    init(count: Int, _ initial: T) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: initial)
    }

    /// Set when the slots were moved out (`take`): they are then not destroyed here.
    private var moved = false

    deinit {
        if !moved { slots.deinitialize() }
        slots.deallocate()
    }

    subscript(i: Int) -> T {
        get { slots[i] }
        set { slots[i] = newValue }
    }

    /// Every slot, once the tasks are done.
    var values: [T] { Array(slots) }

    /// Every slot, moved out (nothing copied or retained) once the tasks are done; the
    /// buffer is not to be read after.
    func take() -> [T] {
        precondition(!moved, "a slot buffer is taken once")
        moved = true
        guard let base = slots.baseAddress else { return [] }
        return [T](moving: base, count: slots.count)
    }
}

extension Array {
    /// An array of exactly `count` elements moved (not copied: nothing retained) from
    /// `base`, whose memory is left uninitialized for its owner to reuse or free.
    init(moving base: UnsafeMutablePointer<Element>, count: Int) {
        self.init(unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0 { out.baseAddress!.moveInitialize(from: base, count: count) }
            initialized = count
        }
    }
}

/// A vault's diagnostics, collected once on first use (any thread) and kept.
final class LazyDiagnostics: Sendable {
    private let cached = Mutex<[Diagnostic]?>(nil)

    func all(of vault: Vault) -> [Diagnostic] {
        cached.withLock { cached in
            if let cached { return cached }
            let found = (vault.loadProblems + Diagnostic.collect(vault)).sorted()
            cached = found
            return found
        }
    }
}

/// Seconds spent in each phase of a load.
public struct LoadTimings: Sendable, Codable {
    /// Walking the folders (the notes it finds meanwhile are read and parsed on another core).
    public var scan = 0.0
    /// Reading and parsing every note (in parallel).
    public var parse = 0.0
    /// Resolving links and building backlinks.
    public var resolve = 0.0
    /// The tag tree.
    public var index = 0.0
    public var total = 0.0
}

/// Each note's aliases, tags, headings and block ids, in lists of their own: what the alias
/// index, the tag tree and the subpath checks read, without touching the notes.
struct NoteParts: Sendable {
    var aliases: [[String]]
    var tags: [[String]]
    var headings: [[Heading]]
    var blockIDs: [[BlockID]]

    init(_ notes: [Note]) {
        aliases = notes.map(\.aliases)
        tags = notes.map(\.tags)
        headings = notes.map(\.headings)
        blockIDs = notes.map(\.blockIDs)
    }

    private init(aliases: [[String]], tags: [[String]], headings: [[Heading]], blockIDs: [[BlockID]]) {
        self.aliases = aliases
        self.tags = tags
        self.headings = headings
        self.blockIDs = blockIDs
    }

    /// The parts filled by the parse tasks, each while its note is still in the cache: made
    /// afterwards, they cost a pass over every note on one core (a few milliseconds in 10,000).
    final class Slots: Sendable {
        private let aliases, tags: SlotBuffer<[String]>
        private let headings: SlotBuffer<[Heading]>
        private let blockIDs: SlotBuffer<[BlockID]>

        init(count: Int) {
            aliases = SlotBuffer(count: count, [])
            tags = SlotBuffer(count: count, [])
            headings = SlotBuffer(count: count, [])
            blockIDs = SlotBuffer(count: count, [])
        }

        /// Called by one task per note.
        func fill(_ i: Int, from note: Note) {
            aliases[i] = note.aliases
            tags[i] = note.tags
            headings[i] = note.headings
            blockIDs[i] = note.blockIDs
        }

        /// The parts, once every task is done.
        func take() -> NoteParts {
            NoteParts(aliases: aliases.take(), tags: tags.take(), headings: headings.take(), blockIDs: blockIDs.take())
        }
    }
}

/// Maps `items` on all cores, keeping order.
func parallelMap<T: Sendable, R>(_ items: [T], progress: (@Sendable (Int, Int) -> Void)?,
                                 _ body: @Sendable (T) -> R) -> [R] {
    parallelMap(items, progress: progress, state: {}) { _, item in body(item) }
}

/// `parallelMap` where each task has a value of its own (`state()`, made when it starts)
/// that `body` may change as it goes from item to item: memory to reuse, say.
func parallelMap<T: Sendable, R, S>(_ items: [T], progress: (@Sendable (Int, Int) -> Void)?,
                                    state: @Sendable () -> S, _ body: @Sendable (inout S, T) -> R) -> [R] {
    let n = items.count
    guard n > 0 else { return [] }
    let counter = ProgressCounter()
    let chunks = min(n, ProcessInfoLite.activeProcessorCount * 32)
    // Each task initialises its own slots of the result in place: nothing is copied after.
    return [R](unsafeUninitializedCapacity: n) { buffer, count in
        let box = UnsafeSendable(buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * n / chunks, hi = (c + 1) * n / chunks
            var own = state()
            for i in lo..<hi { (box.value + i).initialize(to: body(&own, items[i])) }
            if let progress { progress(counter.add(hi - lo), n) }
        }
        count = n
    }
}

struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

final class ProgressCounter: Sendable {
    private let count = Mutex(0)
    func add(_ k: Int) -> Int {
        count.withLock { count in
            count += k
            return count
        }
    }
}

enum ProcessInfoLite {
    static var activeProcessorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
