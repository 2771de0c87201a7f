// The data model of a loaded vault. Everything is a value: a `Vault` is an immutable
// snapshot whose notes, attachments and ghosts are arrays indexed by small integers.

/// Where a link leads once resolved.
public enum Destination: Sendable, Equatable, Hashable {
    case note(Int)
    case attachment(Int)
    /// Nothing matched: the link points at an unresolved ("ghost") node.
    case ghost(Int)
}

/// A link written in a note: in the body (wikilink, embed, Markdown link) or the frontmatter.
public struct Link: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case wikilink, embed, markdown, frontmatter
    }

    public let kind: Kind
    /// The target as written: the text before `|` (wikilinks) or the decoded destination
    /// (Markdown links), subpath included.
    public let target: String
    /// The file part of the target (before the first `#`), trimmed; empty for `[[#Heading]]`.
    public let path: String
    /// Heading chain (`["H1", "H2"]`) or a block reference (`["^id"]`); empty when none.
    public let subpath: [String]
    public let display: String?
    public let isEmbed: Bool
    /// One-based line and column (in Unicode scalars) where the link starts.
    public let line: Int
    public let column: Int
    /// For frontmatter links, the property that holds the link.
    public let property: String?

    /// Set when the vault resolves links.
    public internal(set) var destination: Destination = .ghost(-1)
    /// For an unresolved link whose text is exactly one note's alias: that note.
    public internal(set) var aliasOf: Int?
    /// When several files matched and the shortest-path rule chose: the others.
    public internal(set) var alternatives: [Destination] = []
    /// False when the link names a heading or block the target note does not have.
    public internal(set) var subpathFound: Bool = true
    /// True when a relative path climbs above the vault root.
    public internal(set) var escapesVault = false

    init(kind: Kind, target: String, display: String?, isEmbed: Bool, line: Int, column: Int, property: String?) {
        self.kind = kind
        self.target = target
        self.display = display
        self.isEmbed = isEmbed
        self.line = line
        self.column = column
        self.property = property
        if !target.containsByte(UInt8(ascii: "#")) {
            self.path = target
            self.subpath = []
        } else {
            // Split at every `#` of the bytes (the generic split is slow), parts trimmed of
            // spaces and tabs; the first is the path, the other non-empty ones the subpath.
            var copy = target
            (self.path, self.subpath) = copy.withUTF8 { b -> (String, [String]) in
                var path = "", subpath: [String] = [], start = 0
                for i in 0...b.count where i == b.count || b[i] == UInt8(ascii: "#") {
                    var lo = start, hi = i
                    while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
                    while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
                    let part = String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
                    if start == 0 { path = part } else if !part.isEmpty { subpath.append(part) }
                    start = i + 1
                }
                return (path, subpath)
            }
        }
    }

    /// The block id named by the subpath (`note#^id`), if any.
    public var blockReference: String? { Self.blockReference(in: subpath) }

    /// The block id a subpath names (`["^id"]`), if it names one.
    static func blockReference(in subpath: [String]) -> String? {
        guard subpath.count == 1, subpath[0].hasPrefix("^") else { return nil }
        return String(subpath[0].dropFirst())
    }

    public var isResolved: Bool {
        if case .ghost = destination { return false }
        return true
    }
}

/// A note: a `.md` file of the vault.
public struct Note: Sendable {
    /// Vault-relative path without `.md`, `/`-separated (`writing/citizen`).
    public let id: String
    /// Vault-relative path with extension.
    public let path: String
    /// File name without `.md`.
    public let name: String
    /// Frontmatter `title`, else the name.
    public let title: String
    /// Folder part of the path ("" at the root).
    public let folder: String
    public let aliases: [String]
    /// Every tag occurrence, frontmatter first, in the order written.
    public let tagOccurrences: [TagOccurrence]
    public let properties: [Property]
    public let frontmatterError: FrontmatterError?
    public let hasFrontmatter: Bool
    public let hasBOM: Bool
    public let invalidUTF8: Bool
    /// The file holds NUL bytes: most likely not text at all.
    public let hasNUL: Bool
    public let headings: [Heading]
    public let blockIDs: [BlockID]
    public internal(set) var links: [Link]
    public let externalLinks: [ExternalLink]
    /// The whole file decoded (frontmatter included), for context lines and search.
    public let text: String
    /// One-based line where the body starts (after the frontmatter).
    public let bodyStartLine: Int
    public let byteCount: Int

    init(id: String, path: String, name: String, title: String, folder: String, aliases: [String],
         tagOccurrences: [TagOccurrence], properties: [Property], frontmatterError: FrontmatterError?,
         hasFrontmatter: Bool, hasBOM: Bool, invalidUTF8: Bool, hasNUL: Bool, headings: [Heading],
         blockIDs: [BlockID], links: [Link], externalLinks: [ExternalLink], text: String, bodyStartLine: Int,
         byteCount: Int) {
        self.id = id
        self.path = path
        self.name = name
        self.title = title
        self.folder = folder
        self.aliases = aliases
        self.tagOccurrences = tagOccurrences
        var tags: [String] = []
        tags.reserveCapacity(tagOccurrences.count)
        var seen = FoldedNameSet(capacity: tagOccurrences.count)
        for t in tagOccurrences where seen.insert(t.name.folded) { tags.append(t.name) }
        self.tags = tags
        self.properties = properties
        self.frontmatterError = frontmatterError
        self.hasFrontmatter = hasFrontmatter
        self.hasBOM = hasBOM
        self.invalidUTF8 = invalidUTF8
        self.hasNUL = hasNUL
        self.headings = headings
        self.blockIDs = blockIDs
        self.links = links
        self.externalLinks = externalLinks
        self.text = text
        self.bodyStartLine = bodyStartLine
        self.byteCount = byteCount
    }

    /// The note's own tags as written (first casing), without `#`, de-duplicated
    /// case-insensitively, frontmatter tags first.
    public let tags: [String]

    /// The text of a one-based line of the file, without its line break.
    public func lineText(_ line: Int) -> String { lineTexts([line])[line] ?? "" }

    /// The texts of many one-based lines at once, in one pass over the note (asking
    /// `lineText` for each line of a note with 100,000 links would read it 100,000 times).
    public func lineTexts(_ wanted: Set<Int>) -> [Int: String] {
        guard let last = wanted.max(), last >= 1 else { return [:] }
        var out: [Int: String] = [:]
        var copy = text
        copy.withUTF8 { b in
            var line = 1, start = 0, i = 0
            while i <= b.count, line <= last {
                if i == b.count || b[i] == 0x0A {
                    if wanted.contains(line) {
                        var end = i
                        if end > start, b[end - 1] == 0x0D { end -= 1 }
                        out[line] = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
                    }
                    line += 1
                    start = i + 1
                }
                i += 1
            }
        }
        return out
    }

    /// True when the note has the heading chain or block a link's subpath names.
    func has(subpath link: Link) -> Bool {
        Self.has(subpath: link, headings: headings, blockIDs: blockIDs)
    }

    static func has(subpath link: Link, headings: [Heading], blockIDs: [BlockID]) -> Bool {
        has(subpath: link.subpath, headings: headings, blockIDs: blockIDs)
    }

    /// `has(subpath:)` for a link's subpath (`Link.subpath`).
    static func has(subpath: [String], headings: [Heading], blockIDs: [BlockID]) -> Bool {
        if let block = Link.blockReference(in: subpath) {
            let wanted = block.folded
            return blockIDs.contains { $0.id.folded == wanted }
        }
        return HeadingMatch.find(subpath, in: headings)
    }

    /// The note as parsed, before its links were resolved (for a new snapshot to resolve
    /// them again).
    func clearingResolution() -> Note {
        var n = self
        for k in n.links.indices {
            n.links[k].destination = .ghost(-1)
            n.links[k].aliasOf = nil
            n.links[k].alternatives = []
            n.links[k].subpathFound = true
            n.links[k].escapesVault = false
        }
        return n
    }

    /// The one-based line of the heading or block a link's subpath names in this note.
    public func line(ofSubpath link: Link) -> Int? {
        if let block = link.blockReference {
            let wanted = block.folded
            return blockIDs.first { $0.id.folded == wanted }?.line
        }
        return HeadingMatch.index(of: link.subpath, in: headings).map { headings[$0].line }
    }

    /// The body without the frontmatter.
    public var body: String {
        guard bodyStartLine > 1 else { return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text }
        var line = 1
        for i in text.utf8.indices where text.utf8[i] == 0x0A {
            line += 1
            if line == bodyStartLine { return String(text[text.utf8.index(after: i)...]) }
        }
        return ""
    }
}

/// A non-note file (image, PDF, canvas ...) that links can point at.
public struct Attachment: Sendable {
    public let path: String
    public let name: String
    public let folder: String
}

/// An unresolved link target: who wants a note that does not exist yet.
public struct Ghost: Sendable {
    /// Lower-cased target text: the node's key.
    public let key: String
    /// The target as first written.
    public let name: String
}

/// A reference to one link: the note that holds it and its index in that note's `links`.
public struct LinkRef: Sendable, Equatable, Hashable {
    public let note: Int
    public let link: Int

    public init(note: Int, link: Int) {
        self.note = note
        self.link = link
    }
}
