import ArgumentParser
import Foundation
import BrowserUI
import VaultKit

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count notes, attachments, links, tags and orphans, and time the load.",
        discussion: """
        Examples:
          mycel stats
          mycel stats --vault ~/notes --json
        """)

    @OptionGroup var options: VaultOptions

    struct Output: Codable {
        var vault: String
        var notes: Int
        var attachments: Int
        var links: Int
        var resolvedLinks: Int
        var unresolvedLinks: Int
        var aliasOnlyLinks: Int
        var externalLinks: Int
        var unresolvedTargets: Int
        var tags: Int
        var orphans: Int
        var problems: Int
        var loadMilliseconds: Double
        var phasesMilliseconds: [String: Double]
    }

    func run() throws {
        try guarded {
            let v = try options.load()
            // Counted where the links lie (copying 78,000 links out to count them took 90 ms
            // of the 10k benchmark vault's 600).
            var links = 0, resolved = 0, aliasOnly = 0
            for i in v.notes.indices {
                links += v.notes[i].links.count
                for k in v.notes[i].links.indices {
                    if v.notes[i].links[k].isResolved { resolved += 1 }
                    if v.notes[i].links[k].aliasOf != nil { aliasOnly += 1 }
                }
            }
            var tagCount = 0
            v.tagTree.walk { _, _ in tagCount += 1 }
            let o = Output(
                vault: v.root, notes: v.notes.count, attachments: v.attachments.count, links: links,
                resolvedLinks: resolved,
                unresolvedLinks: links - resolved,
                aliasOnlyLinks: aliasOnly,
                externalLinks: v.notes.reduce(0) { $0 + $1.externalLinks.count },
                unresolvedTargets: v.ghosts.count, tags: tagCount, orphans: v.orphans.count,
                problems: v.diagnostics.count, loadMilliseconds: ms(v.timings.total),
                phasesMilliseconds: ["scan": ms(v.timings.scan), "parse": ms(v.timings.parse),
                                     "resolve": ms(v.timings.resolve), "index": ms(v.timings.index)])
            if options.json { return try printJSON(o) }
            out("""
            vault            \(o.vault)
            notes            \(o.notes)
            attachments      \(o.attachments)
            links            \(o.links) (\(o.resolvedLinks) resolved, \(o.unresolvedLinks) unresolved, \(o.aliasOnlyLinks) of them alias-only)
            external links   \(o.externalLinks)
            unresolved       \(o.unresolvedTargets) targets no file answers
            tags             \(o.tags) (nested tags counted at each level)
            orphans          \(o.orphans) notes with no links in or out
            problems         \(o.problems) (see: mycel check)
            loaded in        \(o.loadMilliseconds) ms (scan \(o.phasesMilliseconds["scan"]!), read and parse \(o.phasesMilliseconds["parse"]!), resolve \(o.phasesMilliseconds["resolve"]!), index \(o.phasesMilliseconds["index"]!))
            """)
        }
    }
}

/// Seconds as milliseconds with one decimal.
func ms(_ seconds: Double) -> Double { (seconds * 10_000).rounded() / 10 }

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a note rendered as the browser shows it (plain text when piped).",
        discussion: """
        Examples:
          mycel show "network nations"
          mycel show writing/citizen --raw
          mycel show network-states --json
        """)

    @OptionGroup var options: VaultOptions
    @Argument(help: "The note: a path or file name (like a link), a title or an alias.")
    var note: String
    @Flag(name: .long, help: "Print the file as written, frontmatter included (terminal controls shown as symbols).")
    var raw = false
    @Option(name: .long, help: "Wrap the rendered note to this many columns (default: the terminal's width, 80 when piped).")
    var width: Int?

    struct Output: Codable {
        var id: String
        var path: String
        var title: String
        var properties: [String: PropertyJSON]
        var frontmatterError: String?
        var body: String
    }

    func run() throws {
        try guarded {
            if let width, width < 10 { throw CLIError("--width must be at least 10", status: 64) }
            let v = try options.load()
            let n = v.notes[try v.requireNote(note)]
            if options.json {
                var props: [String: PropertyJSON] = [:]
                for p in n.properties { props[p.key] = PropertyJSON(p.value) }
                return try printJSON(Output(id: n.id, path: n.path, title: n.title, properties: props,
                                            frontmatterError: n.frontmatterError.map { "line \($0.line): \($0.message)" },
                                            body: n.body))
            }
            if !raw {
                let index = try v.requireNote(note)
                let doc = Renderer(vault: v).render(note: index)
                let page = doc.layout(width: width ?? (stdoutIsTerminal ? terminalColumns() : 80))
                for line in page.lines(colour: stdoutTakesColour) { print(line) }
                return
            }
            // The file as written, frontmatter and all (invalid frontmatter too), with only the
            // terminal controls it may hold made visible; a line end is added if it has none.
            out(n.text, terminator: n.text.utf8.last == UInt8(ascii: "\n") || n.text.isEmpty ? "" : "\n")
        }
    }
}

/// A frontmatter value in JSON: strings stay strings (raw text), lists and maps nest.
enum PropertyJSON: Codable {
    case null
    case string(String)
    case list([PropertyJSON])
    case map([String: PropertyJSON])

    init(_ v: PropertyValue) {
        switch v {
        case .null: self = .null
        case let .scalar(s, _): self = .string(s)
        case let .list(items): self = .list(items.map(PropertyJSON.init))
        case let .map(props):
            var m: [String: PropertyJSON] = [:]
            for p in props { m[p.key] = PropertyJSON(p.value) }
            self = .map(m)
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .string(s): try c.encode(s)
        case let .list(l): try c.encode(l)
        case let .map(m): try c.encode(m)
        }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([PropertyJSON].self) { self = .list(l) }
        else { self = .map(try c.decode([String: PropertyJSON].self)) }
    }
}

struct Links: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a note's outgoing links: body, embeds, Markdown links and frontmatter.",
        discussion: """
        Each line gives where the link is written, its kind, the target as written, and \
        where it leads: a file, "unresolved", or "alias of" a note (mycel follows those; \
        Obsidian does not).

        Examples:
          mycel links "network nations"
          mycel links writing/citizen --json | jq '.links[].to'
        """)

    @OptionGroup var options: VaultOptions
    @Argument(help: "The note: a path or file name (like a link), a title or an alias.")
    var note: String

    struct Output: Codable {
        var note: String
        var links: [JSONShapes.LinkOut]
        var external: [JSONShapes.ExternalOut]
    }

    func run() throws {
        try guarded {
            let v = try options.load()
            let i = try v.requireNote(note)
            let n = v.notes[i]
            if options.json {
                let o = v.noteOut(i)
                return try printJSON(Output(note: n.path, links: o.links, external: o.external))
            }
            if n.links.isEmpty && n.externalLinks.isEmpty { out("\(n.path) has no links"); return }
            for l in n.links {
                let lo = v.linkOut(l)
                var dest: String
                if let to = lo.to {
                    dest = to
                    if let sub = lo.subpath { dest += "#" + sub + (l.subpathFound ? "" : " (not found)") }
                    if !l.alternatives.isEmpty { dest += " (ambiguous; also \(lo.ambiguous!.joined(separator: ", ")))" }
                } else if let alias = lo.aliasOf {
                    dest = "alias of \(alias)"
                } else {
                    dest = "unresolved"
                }
                let kind = l.kind == .frontmatter ? "property \(l.property ?? "")" : l.kind.rawValue
                out("\(l.line):\(l.column)\t\(kind)\t\(l.target)\t→ \(dest)")
            }
            for e in n.externalLinks { out("\(e.line):\(e.column)\texternal\t\(e.url)") }
        }
    }
}

struct Backlinks: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the notes that link to a note, each with the line that holds the link.",
        discussion: """
        NOTE may also name a link target no file answers yet: then its backlinks are the \
        notes that want it. With --mentions, unlinked mentions follow: other notes naming \
        the note's title or an alias as plain text.

        Examples:
          mycel backlinks cosmolocalism
          mycel backlinks "network nations" --mentions
          mycel backlinks "a note that does not exist yet" --json
        """)

    @OptionGroup var options: VaultOptions
    @Argument(help: "The note (path, file name, title or alias) or an unresolved link target.")
    var note: String
    @Flag(name: .long, help: "Also list unlinked mentions of the note's title and aliases.")
    var mentions = false

    struct Output: Codable {
        var note: String
        var exists: Bool
        var backlinks: [JSONShapes.BacklinkOut]
        var unlinkedMentions: [JSONShapes.MentionOut]?
    }

    func run() throws {
        try guarded {
            let v = try options.load()
            let dest: Destination
            switch v.lookup(note) {
            case let .note(i, _): dest = .note(i)
            case let .attachment(i): dest = .attachment(i)
            case let .ghost(g): dest = .ghost(g)
            case .notFound: _ = try v.requireNote(note); return
            }
            let refs = v.backlinks(of: dest)
            var found: [Mention] = []
            if mentions, case let .note(i) = dest { found = v.unlinkedMentions(of: i) }
            if options.json {
                let ms = mentions ? found.map(v.mentionOut) : nil
                return try printJSON(Output(note: v.path(of: dest), exists: !dest.isGhost,
                                            backlinks: v.backlinksOut(refs), unlinkedMentions: ms))
            }
            if dest.isGhost { out("\(v.path(of: dest)) does not exist yet; wanted by:") }
            if refs.isEmpty { out("no backlinks to \(v.path(of: dest))") }
            for b in v.backlinksOut(refs) {
                out("\(b.path):\(b.line):\(b.column): \(b.context.trimmingSpaces)")
            }
            if mentions {
                out("")
                out(found.isEmpty ? "no unlinked mentions" : "unlinked mentions:")
                for m in found {
                    out("\(v.notes[m.note].path):\(m.line):\(m.column): \(m.context.trimmingSpaces)")
                }
            }
        }
    }
}

struct Tags: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the nested tag tree with note counts, or the notes under a tag.",
        discussion: """
        A nested tag such as ecology/fungi also counts under ecology. With TAG, the notes \
        carrying it or a tag nested under it are listed.

        Examples:
          mycel tags
          mycel tags ecology
          mycel tags "#governance/participatory" --json
        """)

    @OptionGroup var options: VaultOptions
    @Argument(help: "A tag (with or without #) whose notes to list.")
    var tag: String?

    struct NotesOutput: Codable {
        var tag: String
        var notes: [Entry]
        struct Entry: Codable {
            var id: String
            var path: String
            var title: String
            var tags: [String]
        }
    }

    func run() throws {
        try guarded {
            let v = try options.load()
            guard let tag else {
                if options.json { return try printJSON(v.tagsOut(v.tagTree)) }
                if v.tagTree.children.isEmpty { out("no tags"); return }
                v.tagTree.walk { node, depth in
                    out(String(repeating: "  ", count: depth) + "#" + (depth == 0 ? node.path : node.name) + "  \(node.count)")
                }
                return
            }
            guard let node = v.tagTree.find(tag) else {
                var close: [String] = []
                // Close spellings are listed, accents and case aside (`cafe` names `café`).
                let wanted = tag.trimmingCharacters(in: ["#"]).searchFolded
                v.tagTree.walk { n, _ in if n.path.searchFolded.contains(wanted) { close.append(n.path) } }
                throw CLIError("no tag \"\(tag)\"" + (close.isEmpty ? "" : "\ntags containing it:\n" + close.prefix(8).map { "  #\($0)" }.joined(separator: "\n")))
            }
            let entries = node.allNotes.map { i in
                NotesOutput.Entry(id: v.notes[i].id, path: v.notes[i].path, title: v.notes[i].title, tags: v.notes[i].tags)
            }
            if options.json { return try printJSON(NotesOutput(tag: node.path, notes: entries)) }
            for e in entries { out("\(e.path)\t\(e.title)") }
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report broken, ambiguous and alias-only links, invalid frontmatter and more.",
        discussion: """
        Each problem is printed as path:line:column: severity: message [kind]. Kinds: \
        \(Diagnostic.Kind.allCases.map(\.rawValue).joined(separator: ", ")).
        The exit status is 0 when nothing is found and 1 otherwise, so check can gate a \
        commit hook or a CI job. Notes in the templates folder Obsidian's settings name \
        (the Templates or Templater plugin's) are not checked unless --templates is given: \
        their placeholders ({{date}}) and links to notes not made yet are meant.

        Examples:
          mycel check
          mycel check --json | jq 'map(select(.kind == "broken-link"))'
        """)

    @OptionGroup var options: VaultOptions
    @Flag(name: .long, help: "Check the notes of the templates folder too.")
    var templates = false

    func run() throws {
        try guarded {
            let v = try options.load()
            let folders = templates ? [] : ObsidianSettings.templateFolders(root: v.root)
            let ds = v.diagnostics.filter { !ObsidianSettings.isInside($0.path, folders) }
            let skipped = folders.isEmpty ? 0 : v.notes.filter { ObsidianSettings.isInside($0.path, folders) }.count
            if options.json {
                try printJSON(ds)
            } else {
                var text = ""
                for d in ds {
                    var loc = d.path
                    if let l = d.line { loc += ":\(l)" + (d.column.map { ":\($0)" } ?? "") }
                    text += "\(loc): \(d.severity.rawValue): \(d.message) [\(d.kind.rawValue)]\n"
                }
                let errors = ds.filter { $0.severity == .error }.count
                let files = Set(ds.map(\.path)).count
                text += ds.isEmpty
                    ? "no problems in \(v.notes.count) notes\n"
                    : "\(ds.count) problem\(ds.count == 1 ? "" : "s") (\(errors) error\(errors == 1 ? "" : "s"), \(ds.count - errors) warning\(ds.count - errors == 1 ? "" : "s")) in \(files) file\(files == 1 ? "" : "s") of \(v.notes.count) notes\n"
                if skipped > 0 {
                    let names = folders.map { "\($0)/" }.joined(separator: ", ")
                    text += "\(skipped) note\(skipped == 1 ? "" : "s") in the templates folder (\(names)) not checked (--templates checks them)\n"
                }
                out(text, terminator: "")
            }
            if !ds.isEmpty { throw ExitCode(1) }
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the whole graph as one JSON document.",
        discussion: """
        Per note: id, path, title, aliases, tags, links (target, to, kind, line ...), \
        external links, backlinks and headings; then attachments, unresolved targets and \
        the tag tree. The shape is described in docs/cli.md.

        Examples:
          mycel export --json > graph.json
          mycel export --json | jq '.notes[] | select(.backlinks == []) | .id'
        """)

    @OptionGroup var options: VaultOptions

    func run() throws {
        try guarded {
            let v = try options.load()
            try printJSON(v.graphOut())
        }
    }
}
