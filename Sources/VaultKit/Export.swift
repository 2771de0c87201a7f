// The JSON shapes of the command line (`--json`) and of `mycel export`. Documented in
// docs/cli.md; field names are stable.

public enum JSONShapes {
    public struct LinkOut: Codable, Sendable, Equatable {
        public var target: String
        /// Vault-relative path of the file the link resolves to, or nil when unresolved.
        public var to: String?
        public var kind: Link.Kind
        public var embed: Bool
        public var line: Int
        public var column: Int
        public var subpath: String?
        public var display: String?
        public var property: String?
        /// For an unresolved link that names exactly one note's alias: that note's path.
        public var aliasOf: String?
        public var ambiguous: [String]?
        public var subpathFound: Bool?

        enum CodingKeys: String, CodingKey {
            case target, to, kind, embed, line, column, subpath, display, property, aliasOf, ambiguous, subpathFound
        }

        /// `to` is always present: a path, or null for an unresolved link. Other optional
        /// fields are left out when they do not apply.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(target, forKey: .target)
            try c.encode(to, forKey: .to)
            try c.encode(kind, forKey: .kind)
            try c.encode(embed, forKey: .embed)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encodeIfPresent(subpath, forKey: .subpath)
            try c.encodeIfPresent(display, forKey: .display)
            try c.encodeIfPresent(property, forKey: .property)
            try c.encodeIfPresent(aliasOf, forKey: .aliasOf)
            try c.encodeIfPresent(ambiguous, forKey: .ambiguous)
            try c.encodeIfPresent(subpathFound, forKey: .subpathFound)
        }
    }

    public struct ExternalOut: Codable, Sendable, Equatable {
        public var url: String
        public var text: String
        public var embed: Bool
        public var line: Int
    }

    public struct NoteOut: Codable, Sendable {
        public var id: String
        public var path: String
        public var title: String
        public var aliases: [String]
        public var tags: [String]
        public var links: [LinkOut]
        public var external: [ExternalOut]
        public var backlinks: [String]
        public var headings: [String]
    }

    public struct AttachmentOut: Codable, Sendable {
        public var path: String
        public var backlinks: [String]
    }

    public struct GhostOut: Codable, Sendable {
        public var target: String
        public var backlinks: [String]
    }

    public struct TagOut: Codable, Sendable {
        public var tag: String
        public var count: Int
        public var children: [TagOut]
    }

    public struct Graph: Codable, Sendable {
        public var vault: String
        public var notes: [NoteOut]
        public var attachments: [AttachmentOut]
        public var unresolved: [GhostOut]
        public var tags: [TagOut]
    }

    public struct BacklinkOut: Codable, Sendable {
        public var from: String
        public var path: String
        public var kind: Link.Kind
        public var line: Int
        public var column: Int
        public var target: String
        public var context: String
    }

    public struct MentionOut: Codable, Sendable {
        public var from: String
        public var path: String
        public var line: Int
        public var column: Int
        public var term: String
        public var context: String
    }
}

extension Vault {
    public func linkOut(_ link: Link) -> JSONShapes.LinkOut {
        var to: String?
        if case .ghost = link.destination {} else { to = path(of: link.destination) }
        return JSONShapes.LinkOut(
            target: link.target, to: to, kind: link.kind, embed: link.isEmbed, line: link.line, column: link.column,
            subpath: link.subpath.isEmpty ? nil : link.subpath.joined(separator: "#"),
            display: link.display, property: link.property,
            aliasOf: link.aliasOf.map { notes[$0].path },
            ambiguous: link.alternatives.isEmpty ? nil : link.alternatives.map { path(of: $0) },
            subpathFound: link.subpath.isEmpty || link.destination.isGhost ? nil : link.subpathFound)
    }

    public func noteOut(_ i: Int) -> JSONShapes.NoteOut {
        let n = notes[i]
        var seen = Set<Int>()
        let back = backlinks[i].compactMap { seen.insert($0.note).inserted ? notes[$0.note].id : nil }
        return JSONShapes.NoteOut(
            id: n.id, path: n.path, title: n.title, aliases: n.aliases, tags: n.tags,
            links: n.links.map(linkOut),
            external: n.externalLinks.map { .init(url: $0.url, text: $0.text, embed: $0.isEmbed, line: $0.line) },
            backlinks: back, headings: n.headings.map(\.text))
    }

    /// Many backlinks with their context lines, each source note read once.
    public func backlinksOut(_ refs: [LinkRef]) -> [JSONShapes.BacklinkOut] {
        let contexts = contextLines(of: refs)
        return zip(refs, contexts).map { ref, context in
            let n = notes[ref.note]
            let l = n.links[ref.link]
            return .init(from: n.id, path: n.path, kind: l.kind, line: l.line, column: l.column, target: l.target,
                         context: context)
        }
    }

    /// The line each link is written on, in the order given; each note is read once.
    public func contextLines(of refs: [LinkRef]) -> [String] {
        var wanted: [Int: Set<Int>] = [:]
        for r in refs { wanted[r.note, default: []].insert(link(r).line) }
        var texts: [Int: [Int: String]] = [:]
        for (note, lines) in wanted { texts[note] = notes[note].lineTexts(lines) }
        return refs.map { texts[$0.note]?[link($0).line] ?? "" }
    }

    public func tagsOut(_ node: TagNode) -> [JSONShapes.TagOut] {
        node.children.map { .init(tag: $0.path, count: $0.count, children: tagsOut($0)) }
    }

    /// The whole graph as one document.
    public func graphOut() -> JSONShapes.Graph {
        func ids(_ refs: [LinkRef]) -> [String] {
            var seen = Set<Int>()
            return refs.compactMap { seen.insert($0.note).inserted ? notes[$0.note].id : nil }
        }
        return JSONShapes.Graph(
            vault: root,
            notes: notes.indices.map(noteOut),
            attachments: attachments.indices.map { .init(path: attachments[$0].path, backlinks: ids(attachmentBacklinks[$0])) },
            unresolved: ghosts.indices.map { .init(target: ghosts[$0].name, backlinks: ids(ghostBacklinks[$0])) },
            tags: tagsOut(tagTree))
    }
}

extension Destination {
    public var isGhost: Bool {
        if case .ghost = self { return true }
        return false
    }
}

extension Vault {
    public func mentionOut(_ m: Mention) -> JSONShapes.MentionOut {
        .init(from: notes[m.note].id, path: notes[m.note].path, line: m.line, column: m.column, term: m.term,
              context: m.context)
    }
}
